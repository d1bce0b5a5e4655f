// The tables of the references that write (the one-transaction and group-commit servers), and the
// set-up and checking statements the bench asks of both: POST /seed makes rows, GET /state lists
// the rows on hold and counts the event rows (every acknowledged write must be there).
import { createClient, type Client, type InStatement } from '@libsql/client';

export const recordTables = `
  create table if not exists records (id text primary key, account_id text not null, external_id text not null,
    state text not null, version integer not null, body text not null, updated_at text not null);
  create unique index if not exists records_by_external_id on records (account_id, external_id);
  create table if not exists record_events (record_id text not null, seq integer not null, type text not null,
    at text not null, payload text not null, primary key (record_id, seq));
`;

/** A reference's database file, in WAL mode as the product's, with the busy timeout the product gives its connections. */
export async function openRecords(url: string | undefined): Promise<Client> {
  if (!url?.startsWith('file:')) throw new Error('DATABASE_URL names the file of this reference (file:…), not the product\'s');
  const client = createClient({ url, timeout: 5_000 });
  await client.execute('PRAGMA journal_mode = WAL');
  await client.executeMultiple(recordTables);
  return client;
}

export async function seedRecords(client: Client, n: number, prefix: string): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const at = new Date().toISOString();
  await client.batch(ids.map((id): InStatement => ({
    sql: `insert into records (id, account_id, external_id, state, version, body, updated_at) values (?, 'seed', ?, 'open', 0, '{}', ?)`,
    args: [id, id, at],
  })), 'write');
  return ids;
}

export async function recordsState(client: Client): Promise<{ held: string[]; events: number }> {
  const [held, events] = await client.batch([
    `select id from records where state = 'HOLD'`,
    `select count(*) from record_events`,
  ], 'read');
  return { held: held!.rows.map((row) => String(row[0])), events: Number(events!.rows[0]![0]) };
}
