// The items list read on a thread of its own. The local driver is synchronous, so SQLite's work
// for a page (~0.5 ms of its ~1 ms) ran on the one JavaScript thread that parses every request;
// on a reader thread with its own client the main thread spends ~0.06 ms a page, passing the
// query and the page's bytes (measured: main-thread CPU, pages of 50 of 200,000 items). The page
// comes as UTF-8 bytes moved without a copy, not as a string: strings of 41 KB arriving at
// 1,200 a second grew the main thread's old generation, and the process's peak RSS under the
// list load was 379 MB with them, 236 MB with bytes (measured). The reader sees what is
// committed, as any connection does: a write is acknowledged only after its commit.
import { Worker } from 'node:worker_threads';
import { WriteWorkerStopped, type WriteWorker } from '../write/worker/write-worker-client.ts';
import type { ItemQuery } from './items.ts';
import { pageAsked, type PageAnswered } from './page-bytes.ts';

export interface ListReader {
  /** listItemsJson's text for the page as UTF-8, read on the reader's thread. */
  page(orgId: string, query: ItemQuery): Promise<Uint8Array>;
  /** False once the thread has ended (closed, or failed): the caller reads in its own thread. */
  readonly alive: boolean;
  close(): Promise<void>;
}

// From the sources a small module registers tsx's loader first; the CLI's bundle has the thread's
// code built beside its chunks (scripts/build-cli.mjs).
const threadModule = import.meta.url.endsWith('.ts')
  ? new URL('./list-reader.boot.mjs', import.meta.url)
  : new URL('./list-reader.worker.mjs', import.meta.url);

export function startListReader(url: string, authToken?: string): ListReader {
  const worker = new Worker(threadModule, { workerData: { url, authToken } });
  const waiting = new Map<number, { resolve(body: Uint8Array): void; reject(error: Error): void }>();
  let next = 0;
  let alive = true;
  const end = (error: Error) => {
    alive = false;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', (answer: PageAnswered) => {
    const asked = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (waiting.size === 0) worker.unref();
    if ('body' in answer) asked?.resolve(answer.body);
    else asked?.reject(new Error(`The list reader failed: ${answer.error}`));
  });
  worker.on('error', (error) => end(error));
  worker.on('exit', (code) => end(new Error(`The list reader's thread ended (exit code ${code}).`)));
  // The thread keeps the process alive only while a page is asked of it: idle, a process that
  // forgets to close it still ends.
  worker.unref();
  return {
    get alive() {
      return alive;
    },
    page(orgId, query) {
      if (!alive) return Promise.reject(new Error('The list reader has ended.'));
      const id = next++;
      return new Promise<Uint8Array>((resolve, reject) => {
        if (waiting.size === 0) worker.ref();
        waiting.set(id, { resolve, reject });
        worker.postMessage(pageAsked(id, orgId, query));
      });
    },
    // A thread is never ended in the middle of a libSQL call (that aborts the whole process in
    // libSQL's binding): the pages asked are answered first.
    async close() {
      alive = false;
      while (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await worker.terminate();
    },
  };
}

/**
 * The list read on the write worker's thread (db/write/worker/), with a connection of its own
 * there: SQLite's part of a page leaves the request's thread as with a reader thread, without a
 * thread of its own to hold (its modules are the worker's already). A page asked while the worker
 * is gone is read with `own`, on the request's thread.
 */
export function workerListReader(worker: WriteWorker, own: (orgId: string, query: ItemQuery) => Promise<string>): ListReader {
  let alive = true;
  return {
    get alive() {
      return alive;
    },
    page(orgId, query) {
      if (!alive) return Promise.reject(new Error('The list reader has ended.'));
      return worker.page(orgId, query).catch(async (error: unknown) => {
        if (error instanceof WriteWorkerStopped) return Buffer.from(await own(orgId, query));
        throw error;
      });
    },
    async close() {
      alive = false;
    },
  };
}
