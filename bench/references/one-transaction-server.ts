// The one-transaction reference of `npm run bench`: bare hono + @hono/node-server + @libsql/client
// (no Drizzle, no zod, no XState), one write transaction per request, on a database file of its
// own in the bench's temporary folder, in WAL mode as the product's. The rate any design reaches
// that commits every request on its own with this stack; the engine's target is a multiple of it
// (issue 21). A process of its own, started like the product (bench/lib/server.ts), so it pays
// nothing of the product server's and the product server nothing of its.
//   POST /v1/items/:id/events  select the row by key, versioned update, insert an event row
//   POST /v1/items             look the row up by its external key; if new, insert it and its first event
// A new row's id is a UUIDv7 as the product's (db/ids.ts, pure), so both append at the key's end.
// Set-up, not measured: POST /seed {n, prefix} makes n rows; GET /state lists the rows on hold
// and counts the event rows (the bench checks every acknowledged write is there).
import { Hono } from 'hono';
import { newId } from '../../db/ids.ts';
import { openRecords, recordsState, seedRecords } from './records.ts';
import { serveReference } from './serve-reference.ts';

const client = await openRecords(process.env.DATABASE_URL);

/**
 * One write transaction at a time. The local driver is synchronous underneath: a second BEGIN
 * IMMEDIATE would sit in SQLite's busy handler on the event loop while the first transaction waits
 * for its next turn, so even the simplest design must queue its transactions.
 */
let tail: Promise<unknown> = Promise.resolve();
function serial<T>(work: () => Promise<T>): Promise<T> {
  const run = tail.then(work, work);
  tail = run.catch(() => undefined);
  return run;
}

async function inTransaction<T>(work: (tx: Awaited<ReturnType<typeof client.transaction>>) => Promise<T>): Promise<T> {
  return serial(async () => {
    const tx = await client.transaction('write');
    try {
      const result = await work(tx);
      await tx.commit();
      return result;
    } finally {
      tx.close();
    }
  });
}

const app = new Hono();

app.post('/seed', async (c) => {
  const { n, prefix } = await c.req.json<{ n: number; prefix: string }>();
  return c.json({ ids: await serial(() => seedRecords(client, n, prefix)) });
});

app.get('/state', async (c) => c.json(await recordsState(client)));

app.post('/v1/items/:id/events', async (c) => {
  const id = c.req.param('id');
  const body = await c.req.json<{ type: string }>();
  const at = new Date().toISOString();
  const version = await inTransaction(async (tx) => {
    const found = await tx.execute({ sql: `select version from records where id = ?`, args: [id] });
    const row = found.rows[0];
    if (!row) return null;
    const next = Number(row.version) + 1;
    const updated = await tx.execute({
      sql: `update records set state = ?, version = ?, updated_at = ? where id = ? and version = ?`,
      args: [body.type, next, at, id, next - 1],
    });
    if (updated.rowsAffected !== 1) return null;
    await tx.execute({
      sql: `insert into record_events (record_id, seq, type, at, payload) values (?, ?, ?, ?, ?)`,
      args: [id, next, body.type, at, JSON.stringify(body)],
    });
    return next;
  });
  return version === null ? c.json({ error: 'not found' }, 404) : c.json({ id, version });
});

app.post('/v1/items', async (c) => {
  const body = await c.req.json<{ accountId: string; externalId: string }>();
  const at = new Date().toISOString();
  const outcome = await inTransaction(async (tx) => {
    const found = await tx.execute({
      sql: `select id, version from records where account_id = ? and external_id = ?`, args: [body.accountId, body.externalId],
    });
    const row = found.rows[0];
    if (row) return { created: false, id: String(row.id), version: Number(row.version) };
    const id = newId(new Date()); // time-ordered, as the product's ids: each insert lands at the key's end
    const payload = JSON.stringify(body);
    await tx.execute({
      sql: `insert into records (id, account_id, external_id, state, version, body, updated_at) values (?, ?, ?, 'received', 1, ?, ?)`,
      args: [id, body.accountId, body.externalId, payload, at],
    });
    await tx.execute({
      sql: `insert into record_events (record_id, seq, type, at, payload) values (?, 1, 'RECEIVED', ?, ?)`, args: [id, at, payload],
    });
    return { created: true, id, version: 1 };
  });
  return c.json({ id: outcome.id, version: outcome.version }, outcome.created ? 201 : 200);
});

serveReference(app, () => client.close());
