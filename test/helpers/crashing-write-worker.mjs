// The write worker with one fault: the thread ends itself (process.exit inside a worker ends only
// the thread) after a group's rows are written and before its commit — a worker killed
// mid-group. workerData.crashAtFlush names which flush. Used by test/db/write-worker.test.ts.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
const { WriteBatch } = await import('../../db/write/write-batch.ts');
const flush = WriteBatch.prototype.flush;
let flushes = 0;
WriteBatch.prototype.flush = async function crashingFlush() {
  await flush.call(this);
  if (++flushes === workerData.crashAtFlush) process.exit(70);
};
await import('../../db/write/worker/write-worker.ts');
