// `diarium orgs add --policy`, `diarium policy show` and `diarium policy set [--dry-run]` as an
// operator runs them, on a database of the release before policy versions: its organisations show
// version 1 from their preset, a change makes version 2, and `diarium verify` stays intact over the
// links written before and after.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presets } from '../../machines/policy/presets.ts';
import { diarium, repoRoot } from '../helpers/processes.ts';
import { releaseDatabase } from '../helpers/release-db.ts';

let t: Awaited<ReturnType<typeof releaseDatabase>>;
// Each run of the bin compiles the TypeScript anew: seconds apiece on a busy machine.
const cliTimeout = 240_000;
const dir = mkdtempSync(join(tmpdir(), 'diarium-policy-cli-'));

beforeEach(async () => {
  t = await releaseDatabase();
});
afterEach(() => t.cleanup());

describe('diarium policy and orgs add --policy', () => {
  it('shows a release organisation\'s version 1, dry-runs and sets version 2, and the ledger verifies', async () => {
    const shown = await diarium(['policy', 'show', '--org', 'tibro'], t.url);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ version: 1, policy: presets.tibro });

    const file = join(dir, 'tibro-change.json');
    writeFileSync(file, JSON.stringify({ preset: 'tibro', overrides: { accounts: { minAdmins: 3 } } }));
    const dry = await diarium(['policy', 'set', '--org', 'tibro', '--file', file, '--dry-run'], t.url);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ version: 2, dryRun: true, impact: { accounts: { count: expect.any(Number) } } });
    expect((await t.store.client.execute(`select policy_version from organisations where slug = 'tibro'`)).rows[0]!.policy_version).toBe(1);

    const set = await diarium(['policy', 'set', '--org', 'tibro', '--file', file], t.url);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ version: 2, dryRun: false, policy: { accounts: { minAdmins: 3 } } });
    const verified = await diarium(['verify'], t.url);
    expect(verified.code, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, breaks: [] });
  }, cliTimeout);

  it('creates an organisation from its own policy file, and refuses a bad one with its paths', async () => {
    const created = await diarium(['orgs', 'add', 'eksempelby', '--policy', join(repoRoot, 'docs/examples/policy-dk.json')], t.url);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ slug: 'eksempelby', preset: null, policyVersion: 1 });

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...presets.tibro, country: 'FI' }));
    const refused = await diarium(['orgs', 'add', 'badby', '--policy', bad], t.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('timeZone');
  }, cliTimeout);
});
