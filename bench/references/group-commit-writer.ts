// The group-commit server's writer thread (group-commit-server.ts): a libSQL connection of its
// own; the commands that arrive in one turn of its event loop are one write transaction of a few
// multi-row statements, and their answers go back as one JSON text after the commit.
import { parentPort, workerData } from 'node:worker_threads';
import type { Transaction } from '@libsql/client';
import { newId } from '../../db/ids.ts';
import { batcher } from '../../db/write/worker/messages.ts';
import { openRecords, recordsState, seedRecords } from './records.ts';

/** A command from the server's thread; `token` pairs it with its answer. */
export type WriterCommand =
  | { token: number; kind: 'event'; id: string; type: string; payload: string }
  | { token: number; kind: 'ingest'; accountId: string; externalId: string; payload: string }
  | { token: number; kind: 'seed'; n: number; prefix: string }
  | { token: number; kind: 'state' };

/** An answer: an event's new version (null: no such row), an ingest's row, or set-up's JSON. */
export type WriterAnswer = [token: number, value: unknown];

const client = await openRecords((workerData as { url: string }).url);
const port = parentPort!;
// Every command that arrives in this turn joins the group.
const join = batcher<WriterCommand>((group) => void writeGroup(group));
port.on('message', (commands: WriterCommand[]) => commands.forEach(join));
port.postMessage('ready');

async function writeGroup(group: WriterCommand[]) {
  const answers: WriterAnswer[] = [];
  const events = group.filter((c) => c.kind === 'event');
  const ingests = group.filter((c) => c.kind === 'ingest');
  if (events.length + ingests.length > 0) {
    const at = new Date().toISOString();
    const tx = await client.transaction('write');
    try {
      if (events.length) answers.push(...await applyEvents(tx, events, at));
      if (ingests.length) answers.push(...await ingest(tx, ingests, at));
      await tx.commit();
    } finally {
      tx.close();
    }
  }
  for (const command of group) {
    if (command.kind === 'seed') answers.push([command.token, { ids: await seedRecords(client, command.n, command.prefix) }]);
    if (command.kind === 'state') answers.push([command.token, await recordsState(client)]);
  }
  port.postMessage(JSON.stringify(answers));
}

const rows = (n: number, row: string) => Array.from({ length: n }, () => row).join(', ');

/** One update of every row the group names (its version up by one), one insert of their event rows. */
async function applyEvents(tx: Transaction, events: Extract<WriterCommand, { kind: 'event' }>[], at: string): Promise<WriterAnswer[]> {
  // The bench never sends an item twice at once. Of two events of one row in a group only the last
  // is written, the other answered as not found: one update a row keeps the statement simple.
  const byId = new Map(events.map((e) => [e.id, e]));
  const updated = await tx.execute({
    sql: `with v(id, type) as (values ${rows(byId.size, '(?, ?)')})
      update records set state = v.type, version = records.version + 1, updated_at = ? from v where records.id = v.id
      returning records.id, records.version`,
    args: [...[...byId.values()].flatMap((e) => [e.id, e.type]), at],
  });
  const versions = new Map(updated.rows.map((row) => [String(row[0]), Number(row[1])]));
  const applied = [...byId.values()].filter((e) => versions.has(e.id));
  if (applied.length) {
    await tx.execute({
      sql: `insert into record_events (record_id, seq, type, at, payload) values ${rows(applied.length, '(?, ?, ?, ?, ?)')}`,
      args: applied.flatMap((e) => [e.id, versions.get(e.id)!, e.type, at, e.payload]),
    });
  }
  return events.map((e) => [e.token, byId.get(e.id) === e ? (versions.get(e.id) ?? null) : null]);
}

/** One lookup of the group's external keys, one insert of the new rows and one of their first events. */
async function ingest(tx: Transaction, ingests: Extract<WriterCommand, { kind: 'ingest' }>[], at: string): Promise<WriterAnswer[]> {
  const key = (c: { accountId: string; externalId: string }) => `${c.accountId}\n${c.externalId}`;
  const found = await tx.execute({
    sql: `with v(account_id, external_id) as (values ${rows(ingests.length, '(?, ?)')})
      select r.account_id, r.external_id, r.id, r.version from records r join v using (account_id, external_id)`,
    args: ingests.flatMap((c) => [c.accountId, c.externalId]),
  });
  const known = new Map(found.rows.map((row) => [`${String(row[0])}\n${String(row[1])}`, { id: String(row[2]), version: Number(row[3]) }]));
  const created = new Set<(typeof ingests)[number]>();
  for (const command of ingests) {
    if (known.has(key(command))) continue;
    known.set(key(command), { id: newId(new Date()), version: 1 });
    created.add(command);
  }
  if (created.size) {
    await tx.execute({
      sql: `insert into records (id, account_id, external_id, state, version, body, updated_at) values ${rows(created.size, `(?, ?, ?, 'received', 1, ?, ?)`)}`,
      args: [...created].flatMap((c) => [known.get(key(c))!.id, c.accountId, c.externalId, c.payload, at]),
    });
    await tx.execute({
      sql: `insert into record_events (record_id, seq, type, at, payload) values ${rows(created.size, `(?, 1, 'RECEIVED', ?, ?)`)}`,
      args: [...created].flatMap((c) => [known.get(key(c))!.id, at, c.payload]),
    });
  }
  // A second ingest of a key in the same group finds the first one's row: 200, not 201.
  return ingests.map((c) => [c.token, { ...known.get(key(c))!, created: created.has(c) }]);
}
