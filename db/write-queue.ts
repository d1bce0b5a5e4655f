// The single writer. SQLite allows one write transaction at a time, and libSQL fails a second
// one at once (SQLITE_BUSY) rather than queueing it, so every write in this process goes
// through this queue. Waiting commands are committed together (group commit): each runs in
// its own savepoint, so a command that throws is rolled back alone and the rest still commit.
// A command's promise settles only after its transaction has committed: acknowledged = durable.
import type { Db, Tx } from './client.ts';

export interface WriteQueue {
  run<T>(command: (tx: Tx) => Promise<T>): Promise<T>;
}

interface Waiting {
  command: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export function createWriteQueue(db: Db, maxBatch = 256): WriteQueue {
  let waiting: Waiting[] = [];
  let draining = false;

  async function drain() {
    draining = true;
    while (waiting.length > 0) {
      // The local driver runs statements synchronously: yield to the event loop between batches so
      // that waiting sockets are read (more commands for this batch, and reads answered meanwhile).
      await new Promise((resolve) => setImmediate(resolve));
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
      try {
        await db.transaction(async (tx) => {
          for (const entry of batch) {
            try {
              outcomes.push({ ok: true, value: await tx.transaction((savepoint) => entry.command(savepoint)) });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        });
      } catch (error) {
        // BEGIN or COMMIT failed: nothing of this batch is durable, so nobody is told it is.
        for (const entry of batch) entry.reject(error);
        continue;
      }
      batch.forEach((entry, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    }
    draining = false;
  }

  return {
    run<T>(command: (tx: Tx) => Promise<T>) {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ command, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) void drain();
      });
    },
  };
}
