// The write worker: a thread that owns a database client of its own and runs the hot write
// commands (worker-commands.ts) through its write queue. The local libSQL driver is synchronous,
// so SQLite's work, the commit's fsync and the steps' own JavaScript hold whichever thread runs
// them; here they hold this one, while the main thread reads requests, validates them, answers
// and serves reads. A reply leaves only after its command's transaction committed.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Store } from '../../client.ts';
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

// The connection is closed by this thread, never torn down under it: libSQL's native binding
// aborts the process when a thread ends in the middle of one of its calls.
function closeWhenIdle() {
  if (!closing || running > 0) return;
  void opened.then((s) => {
    s.close();
    // The last replies are posted on the next turn; the thread ends once the port is closed after them.
    setImmediate(() => setImmediate(() => port.close()));
  }, () => port.close());
}
