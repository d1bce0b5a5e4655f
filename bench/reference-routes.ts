// Two reference endpoints that exist only for `npm run bench`, served by bench/reference-server.ts
// in a process of its own (the product server never loads them). They run on the same database
// file as the engine, through the same openDatabase, so the suite can report the engine's rate as
// a ratio that holds on a noisy machine. Each has its own tables; neither touches the product schema.
//   limit: one bare SQL transaction per request (select by key, versioned update, insert an event):
//          the ceiling of any design that commits every request on its own.
//   naive: the textbook XState design, one Drizzle transaction per request, no batching.
import { and, eq } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { Hono } from 'hono';
import { createActor, type Snapshot } from 'xstate';
import type { Store } from '../db/client.ts';
import { itemMachine, type ItemMachineEvent } from '../machines/item.v1.machine.ts';
import { itemRulesOf } from '../machines/item.rules.ts';
import { presets } from '../machines/policy/presets.ts';

const naiveItems = sqliteTable('bench_naive_items', {
  id: text('id').primaryKey(),
  snapshot: text('snapshot', { mode: 'json' }).notNull().$type<Snapshot<unknown>>(),
  version: integer('version').notNull(),
});
const naiveEvents = sqliteTable('bench_naive_events', {
  itemId: text('item_id').notNull(),
  seq: integer('seq').notNull(),
  type: text('type').notNull(),
  at: text('at').notNull(),
  payload: text('payload', { mode: 'json' }).notNull(),
});

const schema = [
  `create table if not exists bench_limit_rows (id text primary key, state text not null, version integer not null, updated_at text not null)`,
  `create table if not exists bench_limit_events (row_id text not null, seq integer not null, type text not null, at text not null,
     payload text not null, primary key (row_id, seq))`,
  `create table if not exists bench_naive_items (id text primary key, snapshot text not null, version integer not null)`,
  `create table if not exists bench_naive_events (item_id text not null, seq integer not null, type text not null, at text not null,
     payload text not null, primary key (item_id, seq))`,
];

/** Every naive item is an inbound Facebook comment under Avesta's rules. */
const input = { kind: 'comment', direction: 'inbound', platform: 'facebook', rules: itemRulesOf(presets.avesta, 'facebook') } as const;

/**
 * One write transaction at a time in this process. The libSQL driver is synchronous underneath:
 * a second BEGIN IMMEDIATE would sit in SQLite's busy handler on the event loop while the first
 * transaction waits for its next turn, so even the simplest design must queue its transactions.
 */
function serialiser() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

export async function referenceRoutes(store: Store): Promise<Hono> {
  for (const sql of schema) await store.client.execute(sql);
  const router = new Hono();
  const serial = serialiser();

  // Seeding is set-up, not measured: `n` fresh rows per call, ids returned.
  router.post('/bench/limit/seed', async (c) => {
    const { n, prefix } = await c.req.json<{ n: number; prefix: string }>();
    const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    const at = new Date().toISOString();
    await serial(() => store.client.batch(
      ids.map((id) => ({ sql: `insert into bench_limit_rows (id, state, version, updated_at) values (?, 'open', 0, ?)`, args: [id, at] })),
      'write',
    ));
    return c.json({ ids });
  });

  router.post('/bench/limit/:id', async (c) => {
    const id = c.req.param('id');
    const body = await c.req.json<{ type: string }>();
    const at = new Date().toISOString();
    const version = await serial(async () => {
      const tx = await store.client.transaction('write');
      try {
        const found = await tx.execute({ sql: `select version from bench_limit_rows where id = ?`, args: [id] });
        const row = found.rows[0];
        if (!row) return null;
        const next = Number(row.version) + 1;
        const updated = await tx.execute({
          sql: `update bench_limit_rows set state = ?, version = ?, updated_at = ? where id = ? and version = ?`,
          args: [body.type, next, at, id, next - 1],
        });
        if (updated.rowsAffected !== 1) return null;
        await tx.execute({
          sql: `insert into bench_limit_events (row_id, seq, type, at, payload) values (?, ?, ?, ?, ?)`,
          args: [id, next, body.type, at, JSON.stringify(body)],
        });
        await tx.commit();
        return next;
      } finally {
        tx.close();
      }
    });
    return version === null ? c.json({ error: 'not found' }, 404) : c.json({ id, version });
  });

  router.post('/bench/naive/seed', async (c) => {
    const { n, prefix } = await c.req.json<{ n: number; prefix: string }>();
    const actor = createActor(itemMachine, { input }).start();
    const snapshot = actor.getPersistedSnapshot();
    actor.stop();
    const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    await serial(() => store.db.insert(naiveItems).values(ids.map((id) => ({ id, snapshot, version: 1 }))));
    return c.json({ ids });
  });

  // The textbook per-request design: load the persisted snapshot, revive an actor from it, send,
  // persist what comes out. XState ignores an event it cannot take, so "unchanged" means refused.
  router.post('/bench/naive/:id', async (c) => {
    const id = c.req.param('id');
    const event = await c.req.json<ItemMachineEvent>();
    const at = new Date().toISOString();
    const outcome = await serial(() => store.db.transaction(async (tx) => {
      const [row] = await tx.select().from(naiveItems).where(eq(naiveItems.id, id));
      if (!row) return 404 as const;
      const actor = createActor(itemMachine, { snapshot: row.snapshot, input }).start(); // input: unused when restoring
      actor.send(event);
      const next = actor.getPersistedSnapshot();
      actor.stop();
      if (JSON.stringify(next) === JSON.stringify(row.snapshot)) return 409 as const;
      await tx.update(naiveItems).set({ snapshot: next, version: row.version + 1 }).where(and(eq(naiveItems.id, id), eq(naiveItems.version, row.version)));
      await tx.insert(naiveEvents).values({ itemId: id, seq: row.version + 1, type: event.type, at, payload: event });
      return { id, version: row.version + 1 };
    }));
    return typeof outcome === 'number' ? c.json({ error: outcome === 404 ? 'not found' : 'not allowed' }, outcome) : c.json(outcome);
  });

  return router;
}
