// machines/ stays pure: no database, HTTP, cron or Node I/O imports, no other layer, no clock,
// no environment, no randomness (STYLE.md; the before-stop hook checks the same).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/processes.ts';

const forbidden: Array<[RegExp, string]> = [
  [/from\s+['"](drizzle-orm|drizzle-kit)(\/[^'"]*)?['"]/, 'imports Drizzle'],
  [/from\s+['"]@libsql\//, 'imports libSQL'],
  [/from\s+['"](hono|@hono\/[^'"]+)(\/[^'"]*)?['"]/, 'imports Hono'],
  [/from\s+['"]node-cron['"]/, 'imports node-cron'],
  [/from\s+['"]node:[^'"]+['"]/, 'imports a node: module'],
  [/from\s+['"](\.\.\/)+(db|server|schedules|bench)\//, 'imports another layer'],
  [/\bDate\.now\s*\(/, 'reads the clock (Date.now)'],
  [/\bnew Date\(\s*\)/, 'reads the clock (new Date())'],
  [/\bperformance\.now\s*\(/, 'reads the clock (performance.now)'],
  [/\bprocess\.(env|argv|hrtime)/, 'reads the process'],
  [/\bMath\.random\s*\(/, 'uses randomness'],
];

export function violations(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) =>
    forbidden.filter(([pattern]) => pattern.test(line)).map(([, why]) => `${file}:${i + 1} ${why}: ${line.trim()}`),
  );
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the machines layer', () => {
  it('recognises each kind of violation (so the scan below can fail)', () => {
    const sample = [
      "import { eq } from 'drizzle-orm';", "import { createClient } from '@libsql/client';", "import { Hono } from 'hono';",
      "import cron from 'node-cron';", "import { readFileSync } from 'node:fs';", "import { store } from '../../db/client.ts';",
      'const t = Date.now();', 'const d = new Date();', 'const p = performance.now();', 'const u = process.env.URL;', 'Math.random();',
    ].join('\n');
    expect(violations('sample.ts', sample)).toHaveLength(11);
    expect(violations('ok.ts', "import { z } from 'zod';\nconst d = new Date(input);")).toEqual([]);
  });

  it('imports no I/O, no other layer, and reads neither the clock nor the environment', () => {
    const files = tsFiles(join(repoRoot, 'machines'));
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((file) => violations(relative(repoRoot, file), readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });
});
