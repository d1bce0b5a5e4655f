// machines/ stays pure (STYLE.md "Tests", "Time is an input"): every .ts file under it, at any
// depth, is scanned for I/O and framework imports, imports of other layers, and clock, environment
// or randomness reads. Each file is its own test, and a failure names file:line.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Forbidden module specifiers; `file` is the importing file's repo-relative posix path. */
const forbiddenModules: Array<[string, (specifier: string, file: string) => boolean]> = [
  ['drizzle-orm', (s) => /^drizzle-(orm|kit)(\/|$)/.test(s)],
  ['@libsql/*', (s) => s.startsWith('@libsql/')],
  ['hono', (s) => /^hono(\/|$)/.test(s)],
  ['@hono/*', (s) => s.startsWith('@hono/')],
  ['node-cron', (s) => /^node-cron(\/|$)/.test(s)],
  ['a node: module', (s) => s.startsWith('node:')],
  ['a Node built-in', (s) => builtinModules.includes(s.split('/')[0]!) || builtinModules.includes(s)],
  ['another layer (db, server, schedules)', (s, file) => {
    if (!s.startsWith('.')) return false;
    const target = posix.normalize(posix.join(posix.dirname(file), s));
    return /^(db|server|schedules)(\/|$)/.test(target);
  }],
];

/** Forbidden expressions: reading the clock, the environment or randomness. */
const forbiddenCode: Array<[string, RegExp]> = [
  ['reads the clock (Date.now)', /\bDate\.now\s*\(/],
  ['reads the clock (new Date())', /\bnew\s+Date\s*\(\s*\)/],
  ['reads the clock (new Date without arguments)', /\bnew\s+Date\b(?!\s*\()/],
  ['reads the environment (process.env)', /\bprocess\.env\b/],
  ['reads the clock (performance.now)', /\bperformance\.now\s*\(/],
  ['uses randomness (Math.random)', /\bMath\.random\s*\(/],
];

/** `from '…'`, `import '…'`, `import('…')`, `require('…')`, with the line they are on. */
const specifierPattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"`])([^'"`]+)\1/g;

/** Every violation in `text`, as "file:line why: the line". `file` is a repo-relative posix path. */
function violations(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    for (const match of line.matchAll(specifierPattern)) {
      const specifier = match[2]!;
      for (const [what, test] of forbiddenModules) {
        if (test(specifier, file)) found.push(`${at} imports ${what} ('${specifier}'): ${line.trim()}`);
      }
    }
    for (const [why, pattern] of forbiddenCode) {
      if (pattern.test(line)) found.push(`${at} ${why}: ${line.trim()}`);
    }
  });
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = tsFiles(join(root, 'machines')).map((path) => relative(root, path).split(sep).join('/')).sort();

describe('the scanner', () => {
  const sample = [
    "import { eq } from 'drizzle-orm';",
    "import { sqliteTable } from 'drizzle-orm/sqlite-core';",
    "import { createClient } from '@libsql/client';",
    "import { Hono } from 'hono';",
    "import { zValidator } from '@hono/zod-validator';",
    "import cron from 'node-cron';",
    "import { readFileSync } from 'node:fs';",
    "import { join } from 'path';",
    "import { store } from '../../../db/client.ts';",
    "export { createApp } from '../../../server/app.ts';",
    "const jobs = await import('../../../schedules/index.ts');",
    'const t = Date.now();',
    'const d = new Date();',
    'const e = new Date;',
    'const u = process.env.DATABASE_URL;',
    'const p = performance.now();',
    'const r = Math.random();',
  ];

  it('reports each kind of violation in a sample file with its file and line', () => {
    const found = violations('machines/policy/presets/sample.ts', sample.join('\n'));
    expect(found).toHaveLength(sample.length);
    sample.forEach((_line, i) => expect(found[i]).toMatch(new RegExp(`^machines/policy/presets/sample\\.ts:${i + 1} `)));
  });

  it('resolves relative imports from any depth: ../db is another layer from machines/, not from machines/x/y/', () => {
    expect(violations('machines/item.step.ts', "import { a } from '../db/a.ts';")).toHaveLength(1);
    expect(violations('machines/item.step.ts', "import { a } from '../server';")).toHaveLength(1);
    expect(violations('machines/policy/presets/a.ts', "import { a } from '../db/a.ts';")).toEqual([]); // machines/policy/db
    expect(violations('machines/policy/presets/a.ts', "import { a } from '../../../db/a.ts';")).toHaveLength(1);
  });

  it('finds an import spread over several lines on the line of its module', () => {
    const found = violations('machines/a.ts', "import {\n  eq,\n  and,\n} from 'drizzle-orm';");
    expect(found).toEqual([expect.stringMatching(/^machines\/a\.ts:4 imports drizzle-orm/)]);
  });

  it('accepts what machines/ may do: pure packages, its own files, and dates built from inputs', () => {
    const clean = [
      "import { setup } from 'xstate';",
      "import { z } from 'zod';",
      "import { DateTime } from 'luxon';",
      "import type { Policy } from './policy/policy.schema.ts';",
      "import { avesta } from '../policy/presets/avesta.ts';",
      'const due = new Date(from.getTime() + ms);',
      'const updatedAt = event.dateNow;',
    ].join('\n');
    expect(violations('machines/policy/presets/x.ts', clean)).toEqual([]);
  });
});

describe('machines/ purity', () => {
  it('scans machines/ recursively, including its nested folders', () => {
    expect(files).toEqual(expect.arrayContaining([
      'machines/item.v2.machine.ts', 'machines/step.ts', 'machines/policy/policy.schema.ts', 'machines/policy/presets/tibro.ts',
    ]));
  });

  it.each(files)('%s imports no I/O or other layer and reads neither clock, environment nor randomness', (file) => {
    const found = violations(file, readFileSync(join(root, file), 'utf8'));
    expect(found, `${file} is not pure:\n${found.join('\n')}`).toEqual([]);
  });
});

// The arrows between the parts (DESIGN.md "Layout"): machines ← db ← {schedules, server}; nothing
// of the product imports server or bench. Each relative import of every product file is checked.
const layerRules: Record<string, readonly string[]> = {
  machines: ['machines'],
  db: ['db', 'machines'],
  schedules: ['schedules', 'db', 'machines'],
  server: ['server', 'schedules', 'db', 'machines'],
};

function layerOf(path: string): string {
  return path.split('/')[0]!;
}

/** Each relative import of `file` that reaches a layer the file's own layer may not import. */
function backwardArrows(file: string, text: string): string[] {
  const allowed = layerRules[layerOf(file)] ?? [];
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(specifierPattern)) {
      const specifier = match[2]!;
      if (!specifier.startsWith('.')) continue;
      const target = layerOf(posix.normalize(posix.join(posix.dirname(file), specifier)));
      if (!allowed.includes(target)) found.push(`${file}:${i + 1} (${layerOf(file)}) imports ${target}: ${line.trim()}`);
    }
  });
  return found;
}

function productFiles(): string[] {
  return Object.keys(layerRules).flatMap((layer) =>
    tsFilesAndTsx(join(root, layer)).map((path) => relative(root, path).split(sep).join('/')),
  ).sort();
}

function tsFilesAndTsx(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFilesAndTsx(path);
    return entry.isFile() && /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('arrows between the layers', () => {
  it('catches an arrow that runs back up, and lets one run down', () => {
    expect(backwardArrows('db/write/a.ts', "import { x } from '../../server/app.ts';")).toHaveLength(1);
    expect(backwardArrows('db/write/a.ts', "import { x } from '../../schedules/job.ts';")).toHaveLength(1);
    expect(backwardArrows('schedules/a.ts', "import { x } from '../bench/run.ts';")).toHaveLength(1);
    expect(backwardArrows('server/a.ts', "const r = await import('../bench/reference-routes.ts');")).toHaveLength(1);
    expect(backwardArrows('db/items/a.ts', "import { x } from '../../machines/step.ts';")).toEqual([]);
    expect(backwardArrows('schedules/a.ts', "import { x } from '../db/client.ts';")).toEqual([]);
  });

  const product = productFiles();
  it('finds the files of every layer, in nested folders too', () => {
    expect(product).toEqual(expect.arrayContaining(['db/write/write-queue.ts', 'db/ledger/ledger.ts', 'schedules/job.ts', 'server/app.ts']));
  });

  it.each(product)('%s imports only the layers below it', (file) => {
    const found = backwardArrows(file, readFileSync(join(root, file), 'utf8'));
    expect(found, found.join('\n')).toEqual([]);
  });
});

// The charts are the only place that knows what an event means (STYLE.md): db/ and schedules/
// apply a step's effects by their kind and never branch on an event's type.
const eventBranch = [/\.type\s*[!=]==?\s*['"][A-Z][A-Z_]+['"]/, /\bcase\s+['"][A-Z][A-Z_]+['"]\s*:/];

function eventTypeBranches(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => (eventBranch.some((pattern) => pattern.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

describe('no branches on event types outside machines/', () => {
  it('catches a branch on an event type, and lets an event be built', () => {
    expect(eventTypeBranches('db/a.ts', "if (cmd.event.type === 'ASSESS') {")).toHaveLength(1);
    expect(eventTypeBranches('db/a.ts', "    case 'THIN': return x;")).toHaveLength(1);
    expect(eventTypeBranches('db/a.ts', "const e = { type: 'THIN', reason };")).toEqual([]);
  });

  const files = productFiles().filter((file) => /^(db|schedules)\//.test(file));
  it.each(files)('%s does not branch on an event type', (file) => {
    const found = eventTypeBranches(file, readFileSync(join(root, file), 'utf8'));
    expect(found, found.join('\n')).toEqual([]);
  });
});
