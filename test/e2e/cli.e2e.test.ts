// The `diarium` command as an operator meets it: the bundle built at install runs while fresh,
// every error is one JSON line on stderr with the database it opened and a hint, and no command
// but migrate and serve ever creates a database.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshBundle } from '../../bin/bundle-freshness.mjs';
import { diarium, repoRoot, type CliResult } from '../helpers/processes.ts';

/** The one line on stderr, parsed. */
function errorLine(result: CliResult): Record<string, unknown> {
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('the diarium command', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-cli-'));
    // As `npm install` does (the prepare script): the current sources, bundled.
    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the bundle in ASCII only, so V8 holds its source at one byte a character', () => {
    const dist = join(repoRoot, 'dist');
    const nonAscii = readdirSync(dist).filter((file) => /[^\x00-\x7f]/.test(readFileSync(join(dist, file), 'utf8')));
    expect(nonAscii).toEqual([]);
    expect(readdirSync(dist).length).toBeGreaterThan(3);
  });

  it('runs the bundle just built from the current sources', () => {
    expect(freshBundle(repoRoot, {})).toBe(join(repoRoot, 'dist', 'diarium.mjs'));
  });

  it.each([
    ['orgs', 'add', 'tibro', '--preset', 'tibro'],
    ['keys', 'add', '--org', 'tibro', '--role', 'officer'],
    ['verify'],
    ['sweep', '--job', 'deadlines'],
    ['machines', 'migrate', '--machine', 'item', '--to', '2', '--dry-run'],
  ])('refuses %s … on a file database that does not exist, creating nothing', async (...args) => {
    const folder = join(dir, `missing-${args[0]}-${args[1] ?? ''}`);
    const url = `file:${join(folder, 'diarium.db')}`;
    const result = await diarium(args, url);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const line = errorLine(result);
    expect(line.error).toMatch(/^no database at file:.*diarium\.db: run "diarium migrate"/);
    expect(line.database).toBe(url);
    expect(line.hint).toMatch(/^set DATABASE_URL to the server's database/);
    expect(existsSync(folder)).toBe(false);
  }, 60_000);

  it('creates the database on migrate, then names it and hints at DATABASE_URL for an unknown organisation', async () => {
    const url = `file:${join(dir, 'made', 'diarium.db')}`;
    const migrated = await diarium(['migrate'], url);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(JSON.parse(migrated.stdout)).toEqual({ ok: true, migrated: true });
    expect(existsSync(join(dir, 'made', 'diarium.db'))).toBe(true);

    const key = await diarium(['keys', 'add', '--org', 'tibro', '--role', 'officer'], url);
    expect(key.code).toBe(2);
    expect(errorLine(key)).toEqual({ error: 'no organisation "tibro"', database: url, hint: expect.stringContaining('DATABASE_URL') });

    const verify = await diarium(['verify', '--org', 'nowhere'], url);
    expect(verify.code).toBe(2);
    expect(errorLine(verify)).toMatchObject({ error: 'no organisation "nowhere"', database: url });
  }, 60_000);

  it('answers an unknown command, an unknown option and no command at all with one JSON line', async () => {
    const url = `file:${join(dir, 'made', 'diarium.db')}`;
    for (const args of [['frobnicate'], ['verify', '--bogus'], []]) {
      const result = await diarium(args, url);
      expect(result.code, args.join(' ')).toBe(2);
      const line = errorLine(result);
      expect(line.error).toEqual(expect.any(String));
      expect(line.hint).toMatch(/^usage: diarium <command>/);
    }
  }, 60_000);
});
