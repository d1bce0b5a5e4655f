// The CLI's bundle runs only while it is newer than every source: a stale or missing bundle means
// the TypeScript sources run, so neither a user nor a test ever meets an old build.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshBundle } from '../../bin/bundle-freshness.mjs';

let root: string;
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1) + seconds * 1000);

function file(path: string, seconds: number) {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, '');
  utimesSync(full, at(seconds), at(seconds));
}

function folderTimes(seconds: number) {
  for (const folder of ['', 'dist', 'server', 'server/pages', 'db', 'machines', 'schedules']) utimesSync(join(root, folder), at(seconds), at(seconds));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'diarium-bundle-'));
  file('package.json', 0);
  file('server/cli.ts', 0);
  file('server/pages/item.page.tsx', 0);
  file('db/client.ts', 0);
  file('machines/step.ts', 0);
  file('schedules/index.ts', 0);
  file('dist/diarium.mjs', 10);
  folderTimes(0);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the CLI bundle', () => {
  it('runs while it is newer than every source', () => {
    expect(freshBundle(root, {})).toBe(join(root, 'dist', 'diarium.mjs'));
  });

  it('is passed over when a source, however deep, changed after the build', () => {
    utimesSync(join(root, 'server/pages/item.page.tsx'), at(20), at(20));
    expect(freshBundle(root, {})).toBeNull();
  });

  it('is passed over when package.json changed, or a source file was added', () => {
    utimesSync(join(root, 'package.json'), at(20), at(20));
    expect(freshBundle(root, {})).toBeNull();
    utimesSync(join(root, 'package.json'), at(0), at(0));
    file('machines/new.machine.ts', 0);
    utimesSync(join(root, 'machines'), at(20), at(20));
    expect(freshBundle(root, {})).toBeNull();
  });

  it('is passed over when missing, or when DIARIUM_FROM_SOURCE=1 asks for the sources', () => {
    expect(freshBundle(root, { DIARIUM_FROM_SOURCE: '1' })).toBeNull();
    rmSync(join(root, 'dist'), { recursive: true });
    expect(freshBundle(root, {})).toBeNull();
  });
});
