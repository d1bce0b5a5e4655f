// `diarium export` and `diarium export verify` as an operator runs them: JSON progress lines and
// the summary last, a package that verifies, a changed byte that does not, and a clear refusal
// without the official schemas.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveOrganisation } from '../helpers/archive-org.ts';
import { diarium } from '../helpers/processes.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const schemaDir = process.env.ARCHIVE_SCHEMAS ?? join(import.meta.dirname, '../../../shared/schemas');
const hasSchemas = existsSync(join(schemaDir, 'noark5-v5.0'));
if (!hasSchemas) console.log(`export.e2e.test.ts did not run: no official schemas at ${schemaDir} (set ARCHIVE_SCHEMAS)`);

describe.runIf(hasSchemas)('diarium export', () => {
  let t: TempDb;
  let work: string;
  const env = { ARCHIVE_SCHEMAS: schemaDir };

  beforeAll(async () => {
    t = await tempDb();
    await archiveOrganisation(t.store);
    t.store.close();
    work = mkdtempSync(join(tmpdir(), 'diarium-export-e2e-'));
  }, 60_000);
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    t.cleanup();
  });

  it('writes a Noark 5 tar with progress lines and a summary last, and verify passes it', async () => {
    const out = join(work, 'lillesand.tar');
    const run = await diarium(['export', '--org', 'lillesand', '--format', 'noark5', '--from', '2026-11-01T00:00:00Z', '--to', '2026-12-01T00:00:00+01:00', '--out', out], t.url, env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.slice(0, -1).every((line) => 'progress' in line)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ ok: true, format: 'noark5', counts: { items: 7, registered: 5, thinned: 2 }, validation: { ok: true, errors: [] } });

    const verify = await diarium(['export', 'verify', out], t.url, env);
    expect(verify.code, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, format: 'noark5', faults: [], sha256: lines.at(-1).sha256 });

    const bytes = readFileSync(out);
    const at = bytes.indexOf(Buffer.from('Kari Nordmann'));
    bytes[at] = 'L'.charCodeAt(0);
    writeFileSync(join(work, 'changed.tar'), bytes);
    const changed = await diarium(['export', 'verify', join(work, 'changed.tar')], t.url, env);
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout).faults.length).toBeGreaterThan(0);
  }, 120_000);

  it('refuses without ARCHIVE_SCHEMAS and says where to get them; refuses a bad period', async () => {
    const none = await diarium(['export', '--org', 'lillesand', '--format', 'noark5', '--from', '2026-11-01T00:00:00Z', '--to', '2026-12-01T00:00:00Z', '--out', join(work, 'x.tar')], t.url, { ARCHIVE_SCHEMAS: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('ARCHIVE_SCHEMAS');
    expect(none.stderr).toContain('arkivverket/schemas');
    expect(existsSync(join(work, 'x.tar'))).toBe(false);
    const backwards = await diarium(['export', '--org', 'lillesand', '--format', 'noark5', '--from', '2026-12-01T00:00:00Z', '--to', '2026-11-01T00:00:00Z', '--out', join(work, 'y.tar')], t.url, env);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('from must be before to');
  }, 120_000);
});
