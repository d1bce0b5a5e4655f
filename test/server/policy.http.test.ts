// The policy over HTTP (issue 17): read by any role with ETag "VERSION"; changed by an admin under
// If-Match (428 without, 412 stale); a bad policy is 400 with every issue's path and changes
// nothing; a dry run reports the impact on live work and writes nothing; a change is a new version
// in the organisation's chain, and later events record it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { adminCheck } from '../../schedules/admin-check.ts';
import { presets } from '../../machines/policy/presets.ts';
import { activeAccountOverHttp, call, expectProblem, httpWorld, ingest, type HttpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
let w: HttpWorld;

beforeEach(async () => {
  t = await tempDb();
  w = await httpWorld(t, 'tibro');
});
afterEach(() => t.cleanup());

const put = (body: unknown, headers: Record<string, string> = { 'if-match': '"1"' }, query = '') =>
  call(w.app, 'PUT', `/v1/policy${query}`, { key: w.keys.admin.key, body, headers });
const links = async () =>
  (await t.store.client.execute({ sql: 'select type, subject, seq, policy_version from ledger_events where org_id = ? order by org_seq', args: [w.org.id] })).rows;

describe('GET /v1/policy', () => {
  it('answers any role with version 1, its instant and the policy, with ETag "1"', async () => {
    for (const role of ['officer', 'auditor', 'integrator'] as const) {
      const got = await call(w.app, 'GET', '/v1/policy', { key: w.keys[role].key });
      expect(got.status, got.text).toBe(200);
      expect(got.headers.get('etag')).toBe('"1"');
      expect(got.json).toEqual({ version: 1, effectiveFrom: w.clock.now.toISOString(), policy: presets.tibro });
    }
  });
});

describe('PUT /v1/policy', () => {
  it('needs If-Match: 428 without it, 412 when stale, and nothing changes', async () => {
    expectProblem(await put({ preset: 'avesta' }, {}), 428);
    expectProblem(await put({ preset: 'avesta' }, { 'if-match': '"7"' }), 412);
    expect((await call(w.app, 'GET', '/v1/policy', { key: w.keys.admin.key })).json.policy.name).toBe('Tibro kommun');
  });

  it('is for admins only', async () => {
    expectProblem(await call(w.app, 'PUT', '/v1/policy', { key: w.keys.officer.key, body: { preset: 'avesta' }, headers: { 'if-match': '"1"' } }), 403);
  });

  it('answers a bad policy with 400 and the path of every issue, and changes nothing', async () => {
    const whole = { ...presets.tibro, country: 'DK', thinning: { ...presets.tibro.thinning, rule: 'XX-1' }, rules: [{ id: 'bad id', text: 't', source: 's' }] };
    const problem = expectProblem(await put(whole), 400);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(['rules.0.id', 'thinning.rule', 'timeZone']);
    const overridden = expectProblem(await put({ preset: 'tibro', overrides: { accounts: { minAdmins: 0 } } }), 400);
    expect(overridden.errors.map((e: { path: string }) => e.path)).toEqual(['overrides.accounts.minAdmins']);
    const versions = await call(w.app, 'GET', '/v1/policy/versions', { key: w.keys.admin.key });
    expect(versions.json.versions).toHaveLength(1);
    expect(await links()).toEqual([]);
  });

  it('with dryRun=true reports flagged accounts, changed windows and newly required registrations, and writes nothing', async () => {
    const accountId = await activeAccountOverHttp(w); // two administrators, as TI-4 asks
    const item = await ingest(w, accountId);
    const before = await links();
    const overrides = { accounts: { minAdmins: 3 }, windows: { assess: { hours: 4, on: 'weekdays' } }, registration: { allItems: 'TI-11' } };
    const dry = await put({ preset: 'tibro', overrides }, { 'if-match': '"1"' }, '?dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ version: 2, dryRun: true });
    expect(dry.headers.get('etag')).toBe('"1"');
    expect(dry.json.impact.accounts).toMatchObject({ count: 1, examples: [{ accountId, rule: 'TI-4' }] });
    expect(dry.json.impact.deadlines).toMatchObject({ count: 1, windowsChanged: ['assess'], examples: [{ itemId: item.id, kind: 'assess' }] });
    expect(dry.json.impact.items).toMatchObject({ count: 1, examples: [{ itemId: item.id, rule: 'TI-11' }] });
    expect(await links()).toEqual(before);
    expect((await call(w.app, 'GET', '/v1/policy', { key: w.keys.admin.key })).headers.get('etag')).toBe('"1"');
  });

  it('makes a version 2 from the instant it is accepted, chained with version 1, and later events record it', async () => {
    const accountId = await activeAccountOverHttp(w);
    const first = await ingest(w, accountId);
    w.clock.now = new Date(w.clock.now.getTime() + 3_600_000);
    const changed = await put({ preset: 'tibro', overrides: { windows: { answer: { hours: 24, on: 'weekdays' } } } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
    expect(changed.json).toMatchObject({ version: 2, effectiveFrom: w.clock.now.toISOString(), dryRun: false });
    const got = await call(w.app, 'GET', '/v1/policy', { key: w.keys.officer.key });
    expect(got.json.policy.windows.answer).toEqual({ hours: 24, on: 'weekdays' });
    const versions = (await call(w.app, 'GET', '/v1/policy/versions', { key: w.keys.auditor.key })).json.versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(versions[1]).toMatchObject({ changedBy: { keyId: w.keys.admin.id, role: 'admin' }, source: 'tibro', effectiveFrom: w.clock.now.toISOString() });
    expect(versions[1].hash).toMatch(/^[0-9a-f]{64}$/);
    expectProblem(await put({ preset: 'tibro' }), 412); // version 1 is stale now
    const second = await ingest(w, accountId, { externalId: 'after-change' });
    const rows = await links();
    expect(rows.filter((r) => r.subject === 'policy').map((r) => [r.type, r.seq, r.policy_version])).toEqual([['POLICY_ADOPTED', 1, 1], ['POLICY_CHANGED', 2, 2]]);
    const received = await t.store.client.execute({ sql: 'select subject_id, policy_version from ledger_events where type = ?', args: ['RECEIVED'] });
    expect(Object.fromEntries(received.rows.map((r) => [r.subject_id, r.policy_version]))).toEqual({ [first.id]: 1, [second.id]: 2 });
    expect(await verifyLedger(t.store.db, w.org.id)).toMatchObject({ ok: true, breaks: [] });
  });

  it('gives live accounts the new account rules: a raised minimum of administrators is flagged, and the account replays as stored', async () => {
    const accountId = await activeAccountOverHttp(w); // two administrators
    const changed = await put({ preset: 'tibro', overrides: { accounts: { minAdmins: 3 } } });
    expect(changed.status, changed.text).toBe(200);
    const history = (await call(w.app, 'GET', `/v1/accounts/${accountId}/history`, { key: w.keys.auditor.key })).json.events;
    expect(history.at(-1)).toMatchObject({ type: 'POLICY_APPLIED', payload: { policyVersion: 2 } });
    expect(await adminCheck.run({ store: t.store, clock: () => w.clock.now }, w.clock.now)).toEqual({ flagged: 1 });
    const account = (await call(w.app, 'GET', `/v1/accounts/${accountId}`, { key: w.keys.officer.key })).json;
    expect(account.flags.adminsShort).toBe(true);
    expect((await call(w.app, 'GET', `/v1/accounts/${accountId}/replay`, { key: w.keys.auditor.key })).json).toMatchObject({ matchesStored: true });
    expect(await verifyLedger(t.store.db, w.org.id)).toMatchObject({ ok: true, breaks: [] });
  });
});
