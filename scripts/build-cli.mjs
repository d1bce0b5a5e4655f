#!/usr/bin/env node
// Bundles the `diarium` command (server/cli.ts, what it imports, and its packages) into dist/
// once, at `npm install` (the `prepare` script), so a call neither compiles TypeScript nor opens
// the hundreds of files its packages are made of. libsql's native binding stays a package of its
// own, and so does xmllint-wasm (its worker and its .wasm are files it finds beside its own
// module, which a bundle would not have). `serve` is a chunk of its own, loaded only by that
// command. bin/diarium.mjs runs the bundle only while it is newer than every source
// (bin/bundle-freshness.mjs).
import { renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without dev dependencies: the command runs from the sources through tsx.
  console.error('diarium: esbuild is not installed; the CLI will run from its TypeScript sources');
  process.exit(0);
}

// Built beside dist/ and swapped in whole, so a command starting meanwhile meets the old bundle
// or the new one, never a half-written file (the e2e tests build while others run).
const building = `dist.building-${process.pid}`;
const replaced = `dist.replaced-${process.pid}`;
await esbuild.build({
  absWorkingDir: root,
  // Each thread's entry is a module of its own, found beside the chunks (db/write/worker/write-worker-client.ts, db/items/list-reader.ts).
  entryPoints: {
    diarium: 'server/cli.ts', 'write-worker': 'db/write/worker/write-worker.ts', 'list-reader.worker': 'db/items/list-reader.worker.ts',
  },
  outdir: building,
  outExtension: { '.js': '.mjs' },
  // In dist/ itself: db/client.ts finds the migrations in ../db/migrations from there.
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['libsql', 'xmllint-wasm'],
  // Packages written as CommonJS call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __diariumRequire } from 'node:module'; const require = __diariumRequire(import.meta.url);" },
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
});
try {
  renameSync(join(root, 'dist'), join(root, replaced));
} catch {
  // no earlier build
}
renameSync(join(root, building), join(root, 'dist'));
rmSync(join(root, replaced), { recursive: true, force: true });
