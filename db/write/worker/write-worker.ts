// The write worker: a thread that owns a database client of its own and runs the hot write
// commands (worker-commands.ts) through its write queue. The local libSQL driver is synchronous,
// so SQLite's work, the commit's fsync and the steps' own JavaScript hold whichever thread runs
// them; here they hold this one, while the main thread reads requests, validates them, answers
// and serves reads. A reply leaves only after its command's transaction committed.
// It also reads the items list's pages when the server asks it to (LIST_READER=worker,
// db/items/list-reader.ts), on a connection of its own: a page sees what is committed, never the
// open transaction of a group.
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { parentPort, workerData } from 'node:worker_threads';
import { answerPage, type PageAsked } from '../../items/page-bytes.ts';
import { openDatabase, type Db, type Store } from '../../client.ts';
import { busyTimeoutMs } from '../write-lock.ts';
import { batcher, errorData, type FromWorker, type Reply, type ToWorker } from './messages.ts';
import { workerCommands, type WorkerCommandName } from './worker-commands.ts';

export interface WorkerSettings {
  url: string;
  authToken?: string | undefined;
}

if (!parentPort) throw new Error('write-worker.ts runs as a worker thread (db/write/worker/write-worker-client.ts starts it)');
const port = parentPort;
const settings = workerData as WorkerSettings;
const post = (message: FromWorker) => port.postMessage(message);
const reply = batcher<Reply>((replies) => post({ replies: JSON.stringify(replies) }));

let store: Store | null = null;
const opened = openDatabase(settings.url, settings.authToken).then(
  (opened) => {
    store = opened;
    post({ ready: true });
    return opened;
  },
  (error: unknown) => {
    post({ failed: errorData(error) });
    throw error;
  },
);

let running = 0;
let closing = false;

port.on('message', (message: ToWorker) => {
  if ('close' in message) {
    closing = true;
    closeWhenIdle();
    return;
  }
  if ('page' in message) {
    answer(message.page);
    return;
  }
  for (const { id, name, arg } of message.commands) {
    const run = workerCommands[name as WorkerCommandName] as ((store: Store, arg: unknown) => Promise<unknown>) | undefined;
    if (!run) {
      reply({ id, ok: false, error: errorData(new Error(`the write worker has no command "${name}"`)) });
      continue;
    }
    // Every command of this message enters the write queue in this turn, so they share one group.
    running++;
    (store ? run(store, arg) : opened.then((s) => run(s, arg))).then(
      (value) => reply({ id, ok: true, value }),
      (error: unknown) => reply({ id, ok: false, error: errorData(error) }),
    ).finally(() => {
      running--;
      closeWhenIdle();
    });
  }
});

let reading: { db: Db; close(): void } | null = null;
const asked: PageAsked[] = [];

// Pages are read in slices of 5 ms, one a turn of the event loop, in the turn's check phase beside
// the write queue's next group (write-queue.ts yields there between groups): a burst of pages
// holds a group back by one slice at most, and a stream of groups leaves the pages a slice a turn,
// so neither load starves the other.
const sliceMs = 5;

function answer(page: PageAsked) {
  running++;
  if (asked.push(page) === 1) setImmediate(readSlice);
}

async function readSlice() {
  if (!reading) {
    const client = createClient({ url: settings.url, authToken: settings.authToken, timeout: busyTimeoutMs });
    reading = { db: drizzle(client), close: () => client.close() };
  }
  const end = performance.now() + sliceMs;
  for (let page = asked.shift(); page; page = performance.now() < end ? asked.shift() : undefined) {
    const { answer, transfer } = await answerPage(reading.db, page);
    port.postMessage({ page: answer } satisfies FromWorker, transfer);
    running--;
  }
  if (asked.length > 0) setImmediate(readSlice);
  closeWhenIdle();
}

// The connections are closed by this thread, never torn down under it: libSQL's native binding
// aborts the process when a thread ends in the middle of one of its calls.
function closeWhenIdle() {
  if (!closing || running > 0) return;
  reading?.close();
  void opened.then((s) => {
    s.close();
    // The last replies are posted on the next turn; the thread ends once the port is closed after them.
    setImmediate(() => setImmediate(() => port.close()));
  }, () => port.close());
}
