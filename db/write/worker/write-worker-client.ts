// The main thread's side of the write worker (write-worker.ts): sends commands, one message per
// turn of the event loop, and settles each caller's promise with the worker's reply, which comes
// only after the command's transaction committed.
//
// If the worker stops (a crash, a kill), every command it had not answered fails with
// WriteWorkerStopped: its transaction may have committed or not, as when a process dies, so the
// client is told to retry (an Idempotency-Key or If-Match makes that safe). The next command
// starts a new worker.
import { Worker } from 'node:worker_threads';
import type { ItemQuery } from '../../items/items.ts';
import { pageAsked } from '../../items/page-bytes.ts';
import { batcher, type CommandMessage, type ErrorData, type FromWorker, type Reply } from './messages.ts';
import type { WorkerSettings } from './write-worker.ts';
import type { WorkerCommandName, WorkerCommands } from './worker-commands.ts';

export interface WriteWorker {
  run<K extends WorkerCommandName>(name: K, arg: Parameters<WorkerCommands[K]>[1]): ReturnType<WorkerCommands[K]>;
  /** listItemsJson's page as UTF-8, read on the worker's thread with a connection of its own there. */
  page(orgId: string, query: ItemQuery): Promise<Uint8Array>;
  /** The thread of the worker serving now (for the crash tests: terminate() is a crash). */
  readonly thread: Worker;
  close(): Promise<void>;
}

/** The worker stopped before it answered: the command may or may not have committed. */
export class WriteWorkerStopped extends Error {
  override name = 'WriteWorkerStopped';
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

// Beside this file in the sources; dist/write-worker.mjs beside the bundle's chunks (scripts/build-cli.mjs).
const entry = import.meta.url.endsWith('.ts')
  ? new URL('./write-worker-from-source.mjs', import.meta.url)
  : new URL('./write-worker.mjs', import.meta.url);

/** `module`: the thread's entry, the worker itself unless a test wraps it. */
export async function startWriteWorker(settings: WorkerSettings, module: URL = entry): Promise<WriteWorker> {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const pages = new Map<number, Pending>();
  let closed = false;

  function spawn() {
    const thread = new Worker(module, { workerData: settings });
    const ready = new Promise<void>((resolve, reject) => {
      thread.on('message', (message: FromWorker) => {
        if ('replies' in message) {
          for (const reply of JSON.parse(message.replies) as Reply[]) {
            const waiting = pending.get(reply.id);
            if (!waiting) continue;
            pending.delete(reply.id);
            if (reply.ok) waiting.resolve(reply.value);
            else waiting.reject(errorOf(reply.error));
          }
          if (pending.size + pages.size === 0) thread.unref(); // an idle worker keeps no process alive
        } else if ('page' in message) {
          const waiting = pages.get(message.page.id);
          pages.delete(message.page.id);
          if ('body' in message.page) waiting?.resolve(message.page.body);
          else waiting?.reject(new Error(`The list read on the write worker failed: ${message.page.error}`));
          if (pending.size + pages.size === 0) thread.unref();
        } else if ('ready' in message) resolve();
        else reject(errorOf(message.failed));
      });
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`the write worker exited with ${code} before it was ready`)));
    });
    ready.catch(() => {}); // seen by whoever awaits it; a later crash is handled below
    thread.once('exit', () => {
      if (current?.thread === thread) current = null;
      const lost = [...pending.values(), ...pages.values()];
      pending.clear();
      pages.clear();
      for (const waiting of lost) {
        waiting.reject(new WriteWorkerStopped('The write worker stopped before it answered; the write may or may not have been applied.'));
      }
    });
    thread.once('error', (error) => {
      if (!closed) console.error(`write worker failed: ${error.stack ?? error.message}`);
    });
    const send = batcher<CommandMessage>((commands) => thread.postMessage({ commands }));
    return { thread, ready, send };
  }

  let current: ReturnType<typeof spawn> | null = spawn();
  await current.ready;

  return {
    get thread() {
      return (current ??= spawn()).thread;
    },
    run(name, arg) {
      if (closed) return Promise.reject(new Error('the store is closed')) as never;
      const worker = (current ??= spawn());
      worker.thread.ref();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.send({ id, name, arg });
      }) as never;
    },
    page(orgId, query) {
      if (closed) return Promise.reject(new Error('the store is closed'));
      const worker = (current ??= spawn());
      worker.thread.ref();
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        pages.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.thread.postMessage({ page: pageAsked(id, orgId, query) });
      });
    },
    // Commands already sent are answered first: a graceful stop loses no acknowledged write.
    async close() {
      closed = true;
      const worker = current;
      current = null;
      if (!worker) return;
      const exited = new Promise((resolve) => worker.thread.once('exit', resolve));
      worker.thread.ref();
      worker.thread.postMessage({ close: true });
      await exited;
    },
  };
}

function errorOf(data: ErrorData): Error {
  const error = Object.assign(new Error(data.message), { code: data.code });
  error.name = data.name;
  if (data.stack) error.stack = data.stack;
  return error;
}
