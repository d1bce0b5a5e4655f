// The write worker's entry when Diarium runs from its TypeScript sources (tests, tsx): the
// worker thread registers tsx's loader itself, as bin/diarium.mjs does, then loads the worker.
// From the bundle, dist/write-worker.mjs is the worker itself.
const { register } = await import('tsx/esm/api');
register();
await import('./write-worker.ts');
