#!/usr/bin/env node
// Bundles the `diarium` command (server/cli.ts, what it imports, and its packages) into dist/
// once, at `npm install` (the `prepare` script), so a call neither compiles TypeScript nor opens
// the hundreds of files its packages are made of. libsql's native binding stays a package of its
// own, and so does xmllint-wasm (its worker and its .wasm are files it finds beside its own
// module, which a bundle would not have). `serve` is a chunk of its own, loaded only by that
// command. bin/diarium.mjs runs the bundle only while it is newer than every source
// (bin/bundle-freshness.mjs).
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
for (const file of readdirSync(join(root, building))) asciiOnly(join(root, building, file));
try {
  renameSync(join(root, 'dist'), join(root, replaced));
} catch {
  // no earlier build
}
renameSync(join(root, building), join(root, 'dist'));
rmSync(join(root, replaced), { recursive: true, force: true });

/**
 * V8 keeps a module's source text for as long as the module lives: one byte a character when the
 * text is ASCII, two when any character is not. esbuild escapes non-ASCII characters in strings
 * and identifiers but leaves them in comments (a dependency's JSDoc, an em dash in ours), so a
 * handful of them made the server hold its two large chunks at twice their size. Each is written
 * as a \u escape here; the file is kept so only when it minifies to the same code as before,
 * which is what catches a character in a regular expression or a tagged template's raw text.
 */
function asciiOnly(path) {
  if (!path.endsWith('.mjs')) return;
  const text = readFileSync(path, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  const escaped = text.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const code = (source) => esbuild.transformSync(source, { minifyWhitespace: true, format: 'esm', target: 'node20', loader: 'js' }).code;
  if (code(escaped) === code(text)) writeFileSync(path, escaped);
  else console.error(`diarium: ${path.split('/').pop()} keeps its non-ASCII characters (escaping them would change its code), so V8 holds its source at two bytes a character`);
}
