// Taking SQLite's write lock for the write queue's transaction, when another process on the same
// file may hold it. The local driver is synchronous: with BEGIN IMMEDIATE a process that finds the
// lock taken sleeps in SQLite's busy handler (1, 2, 5, 10 … ms) with its event loop stopped, reading
// no request, and often wakes after the other process has taken the lock again (measured: two
// processes 0.83-0.89× one). So for a local file the queue asks without waiting and, refused,
// waits on a timer while the event loop goes on.
//
// A BEGIN IMMEDIATE that fails stays an active statement on its pooled connection, which the
// client cannot reset, and that connection's next COMMIT then fails ("SQL statements in
// progress"). So the transaction begins DEFERRED and takes the lock with a write that changes
// nothing, sent through executeMultiple: SQLite's exec finalises its statements, failed or not.
import type { Client, Transaction } from '@libsql/client';

/** The busy timeout of every pooled connection (db/client.ts); also how long the queue keeps asking. */
export const busyTimeoutMs = 10_000;

// A write that changes nothing still takes the lock; job_leases is a table every migrated database has.
const takeLock = `PRAGMA busy_timeout = 0; update "job_leases" set "job" = "job" where 0; PRAGMA busy_timeout = ${busyTimeoutMs}`;

export async function beginWrite(client: Client, { poll }: { poll: boolean }): Promise<Transaction> {
  if (!poll) return client.transaction('write');
  // Each wait is at least a millisecond, so this many attempts give up no sooner than the busy
  // timeout would (counted, not timed: only the CLI reads the clock).
  for (let attempt = 1; ; attempt++) {
    const transaction = await client.transaction('deferred');
    try {
      await transaction.executeMultiple(takeLock);
      return transaction;
    } catch (error) {
      // Refused: the busy timeout goes back on the connection before the pool has it again.
      try {
        await transaction.executeMultiple(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
      } finally {
        transaction.close();
      }
      if (!isBusy(error) || attempt >= busyTimeoutMs) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** SQLite's busy error (BUSY_SNAPSHOT too: another process committed in between), also wrapped (Drizzle's cause). */
export function isBusy(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (/SQLITE_BUSY/.test(String((e as { code?: unknown }).code ?? (e as Error).message ?? ''))) return true;
  }
  return false;
}
