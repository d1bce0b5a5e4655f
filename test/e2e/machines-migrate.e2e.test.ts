// `diarium machines migrate` as an operator runs it, on a database of the release before item@2:
// JSON as API.md gives it, a dry run that writes nothing, a real run after which the API shows
// item@2 and `diarium verify` stays intact.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { items } from '../../db/schema.ts';
import { releaseDatabase } from '../helpers/release-db.ts';
import { diarium } from '../helpers/processes.ts';

let t: Awaited<ReturnType<typeof releaseDatabase>>;

beforeEach(async () => {
  t = await releaseDatabase();
});
afterEach(() => t.cleanup());

const machines = async () => new Set((await t.store.db.select({ machine: items.machine }).from(items)).map((row) => row.machine));

describe('diarium machines migrate', () => {
  it('answers a dry run, then migrates, and the ledger verifies', async () => {
    const dry = await diarium(['machines', 'migrate', '--machine', 'item', '--to', '2', '--dry-run'], t.url);
    expect(dry.code, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout);
    expect(Object.keys(planned)).toEqual(expect.arrayContaining(['machine', 'to', 'examined', 'migrated', 'refused', 'byState']));
    expect(planned).toMatchObject({ machine: 'item', to: 2, examined: 18, migrated: 18, refused: [] });
    expect(await machines()).toEqual(new Set(['item@1']));

    const tibroOnly = await diarium(['machines', 'migrate', '--machine', 'item', '--to', '2', '--org', 'tibro'], t.url);
    expect(JSON.parse(tibroOnly.stdout)).toMatchObject({ examined: 6, migrated: 6 });
    const rest = await diarium(['machines', 'migrate', '--machine', 'item', '--to', '2'], t.url);
    expect(JSON.parse(rest.stdout)).toMatchObject({ examined: 12, migrated: 12, refused: [] });
    expect(await machines()).toEqual(new Set(['item@2']));

    const verify = await diarium(['verify'], t.url);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  });

  it('refuses a machine or version it does not know, with a usage error', async () => {
    const unknown = await diarium(['machines', 'migrate', '--machine', 'item', '--to', '7'], t.url);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no machine item@7/);
    const bad = await diarium(['machines', 'migrate', '--machine', 'account', '--to', 'x'], t.url);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/usage: diarium machines migrate/);
  });
});
