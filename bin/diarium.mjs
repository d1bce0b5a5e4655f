#!/usr/bin/env node
// The `diarium` command: the bundle built at install (npm's `prepare`: scripts/build-cli.mjs)
// while it is newer than every source; else the TypeScript sources through tsx's loader.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle } from './bundle-freshness.mjs';

async function fromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/cli.ts');
}

const bundle = freshBundle(join(dirname(fileURLToPath(import.meta.url)), '..'));
if (bundle) {
  try {
    await import(pathToFileURL(bundle).href);
  } catch (error) {
    // A rebuild swapping dist/ in between the check and the import: nothing of the bundle ran
    // (modules are found before any runs), so the sources take over.
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    await fromSources();
  }
} else {
  await fromSources();
}
