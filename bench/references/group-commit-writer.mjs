// The group-commit writer thread's entry: a worker thread does not inherit tsx's loader, so it
// registers it before it loads the writer (as db/write/worker/write-worker-from-source.mjs does).
const { register } = await import('tsx/esm/api');
register();
await import('./group-commit-writer.ts');
