// The policy page: the policy in words with each rule id and its text, the organisation's own
// rules and its versions; for an admin, a form whose check shows the dry run first, and only then
// a Save that makes the next version. A bad policy is shown with its paths and changes nothing.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../db/organisations.ts';
import { createApp } from '../../server/app.ts';
import { t0 } from '../helpers/fixtures.ts';
import { activeAccountOverHttp, call, keysFor, type HttpWorld } from '../helpers/http.ts';
import { getPage, postForm, signIn } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const danish = JSON.parse(readFileSync(new URL('../../docs/examples/policy-dk.json', import.meta.url), 'utf8'));

let t: TempDb;
let w: HttpWorld;

beforeEach(async () => {
  t = await tempDb();
  const created = await createOrganisation(t.store, { slug: 'eksempelby', policy: danish }, t0);
  if (!created.ok) throw new Error(created.detail);
  const clock = { now: t0 };
  w = { org: created.organisation, keys: await keysFor(t, created.organisation.id), app: createApp({ store: t.store, clock: () => clock.now }, () => {}), clock };
});
afterEach(() => t.cleanup());

const version = async () => (await call(w.app, 'GET', '/v1/policy', { key: w.keys.officer.key })).json.version;

describe('GET /policy', () => {
  it('tells an officer the windows, registration, removal and thinning in words, each with its rule id and text, and offers no form', async () => {
    const page = await getPage(w.app, await signIn(w.app, w.keys.officer.key), '/policy');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Assess by 24:00 of the 1st weekday after receipt.');
    expect(page.html).toContain('Remove within 24 hours counted on weekdays only.');
    expect(page.html).toContain('Grundlovsdag is not a weekday either');
    const ek7 = danish.rules.find((r: { id: string }) => r.id === 'EK-7').text;
    expect(page.html).toContain(`thinned 3 months after receipt. <strong>EK-7</strong>: ${ek7}`);
    expect(page.html).toContain('<td><strong>EK-5</strong></td>');
    expect(page.html).toMatch(/<td>1<\/td><td>2026-11-23 10:00/);
    expect(page.html).not.toContain('name="policy"');
  });
});

describe('POST /policy (admin)', () => {
  it('shows the dry run first and saves only from it; the versions list the change', async () => {
    await activeAccountOverHttp(w);
    const admin = await signIn(w.app, w.keys.admin.key);
    const changed = JSON.stringify({ ...danish, accounts: { ...danish.accounts, minAdmins: 3 } });
    const dry = await postForm(w.app, admin, '/policy', { intent: 'check', version: '1', policy: changed });
    expect(dry.status).toBe(200);
    expect(dry.html).toContain('Dry run: as version 2');
    expect(dry.html).toContain('1 live account(s) the new account rules would flag: kommunen (2 administrator(s); the new version asks for 3, EK-2)');
    expect(dry.html).toContain('Save as version 2');
    expect(await version()).toBe(1);

    const saved = await postForm(w.app, admin, '/policy', { intent: 'save', version: '1', policy: changed });
    expect(saved.status).toBe(303);
    expect(await version()).toBe(2);
    const page = await getPage(w.app, admin, '/policy');
    expect(page.html).toContain('At least 3 administrators per account.');
    expect(page.html).toMatch(/<td>2<\/td><td>[^<]+<\/td><td>admin \(key /);

    const stale = await postForm(w.app, admin, '/policy', { intent: 'save', version: '1', policy: changed });
    expect(stale.status).toBe(409);
    expect(await version()).toBe(2);
  });

  it('answers a bad policy with its paths and changes nothing; another role may not post', async () => {
    const admin = await signIn(w.app, w.keys.admin.key);
    const bad = await postForm(w.app, admin, '/policy', { intent: 'save', version: '1', policy: JSON.stringify({ ...danish, thinning: { ...danish.thinning, rule: 'EK-99' } }) });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('<code>thinning.rule</code>');
    const officer = await postForm(w.app, await signIn(w.app, w.keys.officer.key), '/policy', { intent: 'save', version: '1', policy: '{"preset":"tibro"}' });
    expect(officer.status).toBe(403);
    expect(await version()).toBe(1);
  });
});
