#!/usr/bin/env node
// The `diarium` command: the bundle built at install (npm's `prepare`: scripts/build-cli.mjs)
// while it is newer than every source; else the TypeScript sources through tsx's loader.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle } from './bundle-freshness.mjs';

const bundle = freshBundle(join(dirname(fileURLToPath(import.meta.url)), '..'));
if (bundle) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/cli.ts');
}
