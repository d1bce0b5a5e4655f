// The write lock when another process on the file holds it (db/write/write-lock.ts): the queue waits
// without stopping the event loop, then commits; commands that arrive meanwhile join the batch;
// a refused attempt leaves its connection whole, with the busy timeout back on it.
import { createClient, type Client } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { organisations } from '../../db/schema.ts';
import { busyTimeoutMs } from '../../db/write/write-lock.ts';
import { organisation } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('the write lock held by another process', () => {
  let t: TempDb;
  let other: Client;
  beforeEach(async () => {
    t = await tempDb();
    // Another connection pool on the same file: for SQLite's locks, another process.
    other = createClient({ url: t.url, timeout: busyTimeoutMs });
  });
  afterEach(() => {
    other.close();
    t.cleanup();
  });

  it('waits for the lock with the event loop running, then commits every command that arrived meanwhile in one transaction', async () => {
    const org = await organisation(t.store, 'avesta');
    const held = await other.transaction('write');
    // The commands of one batch are handed the same transaction.
    const transactions: unknown[] = [];
    const rename = (name: string) =>
      t.store.writes.run(async (tx) => {
        transactions.push(tx);
        await tx.update(organisations).set({ name }).where(eq(organisations.id, org.id));
      });
    const first = rename('First');
    // Timers fire while the queue waits: the event loop was not stopped.
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => (++ticks === 20 ? (clearInterval(timer), resolve()) : undefined), 1);
    });
    const second = rename('Second');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(transactions).toEqual([]);
    await held.commit();
    await Promise.all([first, second]);
    expect(ticks).toBe(20);
    expect(transactions).toHaveLength(2);
    expect(transactions[1]).toBe(transactions[0]);
    const [row] = await t.store.db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row?.name).toBe('Second');
  });

  it('leaves refused connections usable, with the busy timeout back on them', async () => {
    const org = await organisation(t.store, 'avesta');
    const held = await other.transaction('write');
    const write = t.store.writes.run((tx) => tx.update(organisations).set({ name: 'After' }).where(eq(organisations.id, org.id)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await held.commit();
    await write;
    // Commits go on working on every pooled connection the refused attempts used.
    for (let i = 0; i < 5; i++) {
      await t.store.writes.run((tx) => tx.update(organisations).set({ name: `n${i}` }).where(eq(organisations.id, org.id)));
    }
    const timeouts = await Promise.all([1, 2, 3].map(() => t.store.client.execute('PRAGMA busy_timeout')));
    expect(timeouts.map((r) => Number(r.rows[0]![0]))).toEqual([busyTimeoutMs, busyTimeoutMs, busyTimeoutMs]);
  });
});
