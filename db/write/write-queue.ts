// The single writer. SQLite allows one write transaction at a time, and libSQL fails a second
// one at once (SQLITE_BUSY) rather than queueing it, so every write in this process goes
// through this queue. Waiting commands are committed together (group commit) in one
// transaction with one WriteBatch, which reads their rows at once and writes their changes as a
// few multi-row statements (write-batch.ts).
// A command's promise settles only after its transaction has committed: acknowledged = durable.
// Expected outcomes (refusals) are values; a command that throws is a bug or a broken database.
// Then the whole batch is rolled back and each of its commands runs again in a transaction of
// its own, so one failing command fails alone and the others still commit.
import type { Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import type { Tx } from '../client.ts';
import { WriteBatch, type Prefetch } from './write-batch.ts';
import { beginWrite } from './write-lock.ts';

export type WriteCommand<T> = (tx: Tx, batch: WriteBatch) => Promise<T>;

export interface WriteOptions {
  /** The rows the command will read, so the batch reads them for all its commands at once. */
  prefetch?: Prefetch;
  /**
   * The command writes with SQL of its own (not only through the batch): the batch is flushed
   * before it and forgets what it had read after it. Default: true — the safe choice.
   */
  direct?: boolean;
}

export interface WriteQueue {
  run<T>(command: WriteCommand<T>, options?: WriteOptions): Promise<T>;
}

interface Waiting {
  command: WriteCommand<unknown>;
  options: WriteOptions;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** `pollLock`: take the write lock without blocking the event loop (a local file; write-lock.ts). */
export function createWriteQueue(client: Client, { pollLock = false, maxBatch = 512 } = {}): WriteQueue {
  let waiting: Waiting[] = [];
  let draining = false;

  // The queue opens the libSQL write transaction itself (holding the write lock) and gives commands Drizzle
  // over it, so the batch can also write its multi-row statements straight through the driver.
  // `take` names the commands once the lock is held: those that arrive while the queue waits for
  // another process's commit join the batch.
  async function commit(take: () => Waiting[]): Promise<unknown[]> {
    const transaction = await beginWrite(client, { poll: pollLock });
    try {
      const entries = take();
      const tx = drizzle(transaction as unknown as Client);
      const batch = new WriteBatch(tx, transaction);
      const wanted = entries.filter((entry) => entry.options.direct === false).map((entry) => entry.options.prefetch ?? {});
      await batch.prefetch({
        itemIds: wanted.flatMap((p) => p.itemIds ?? []),
        externals: wanted.flatMap((p) => p.externals ?? []),
        idempotency: wanted.flatMap((p) => p.idempotency ?? []),
        keyIds: wanted.flatMap((p) => p.keyIds ?? []),
      });
      const values: unknown[] = [];
      for (const entry of entries) {
        if (entry.options.direct === false) {
          values.push(await entry.command(tx, batch));
          continue;
        }
        await batch.flush();
        values.push(await entry.command(tx, batch));
        await batch.flush();
        batch.forget();
      }
      await batch.flush();
      await transaction.commit();
      return values;
    } catch (error) {
      transaction.close(); // rolls back whatever is open, and frees the connection
      throw error;
    }
  }

  async function drain() {
    draining = true;
    while (waiting.length > 0) {
      // The local driver runs statements synchronously: yield to the event loop between batches so
      // that waiting sockets are read (more commands for this batch, and reads answered meanwhile).
      await new Promise((resolve) => setImmediate(resolve));
      let batch: Waiting[] = [];
      const take = () => {
        batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        return batch;
      };
      try {
        const values = await commit(take);
        batch.forEach((entry, i) => entry.resolve(values[i]));
      } catch (error) {
        // No write lock (busy past the timeout): the commands waiting for it fail with that.
        if (batch.length === 0) take().forEach((entry) => entry.reject(error));
        else if (batch.length === 1) batch[0]!.reject(error);
        else await runAlone(batch);
      }
    }
    draining = false;
  }

  // Nothing of a failed batch is durable. Each command runs again alone, so only the failing one fails.
  async function runAlone(batch: Waiting[]) {
    for (const entry of batch) {
      try {
        entry.resolve((await commit(() => [entry]))[0]);
      } catch (alone) {
        entry.reject(alone);
      }
    }
  }

  return {
    run<T>(command: WriteCommand<T>, options: WriteOptions = {}) {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ command, options, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) void drain();
      });
    },
  };
}
