// The accounts pages in process: the register with state and flags, one account with its timeline,
// the officer's KEEP and CLOSE forms (If-Match from the hidden version, the zod schemas), and the
// AV-13 refusal of CLOSE without a final snapshot shown with its rule id and 409.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountReview } from '../../schedules/account-review.ts';
import { t0 } from '../helpers/fixtures.ts';
import { activeAccountOverHttp, call, httpWorld, type HttpWorld } from '../helpers/http.ts';
import { getPage, postForm, signIn } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const get = getPage;
const post = postForm;

const versionIn = (html: string, type: string) => {
  const form = new RegExp(`name="type" value="${type}"/?>\\s*<input type="hidden" name="version" value="(\\d+)"`).exec(html);
  return form?.[1];
};

describe('accounts pages', () => {
  let t: TempDb;
  let w: HttpWorld;

  beforeEach(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
  });
  afterEach(() => t.cleanup());

  it('lists every account of the organisation with state, administrators and flags', async () => {
    const active = await activeAccountOverHttp(w, { handle: 'library' });
    const proposed = await call(w.app, 'POST', '/v1/accounts', {
      key: w.keys.admin.key, body: { platform: 'instagram', handle: 'proposed-<b>x</b>', admins: [{ name: 'Solo Admin', email: 's@example.org' }] },
    });
    expect(proposed.status, proposed.text).toBe(201);
    const officer = await signIn(w.app, w.keys.officer.key);
    const page = await get(w.app, officer, '/accounts');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`/accounts/${active}`);
    expect(page.html).toContain(`/accounts/${proposed.json.id}`);
    expect(page.html).toContain('active');
    expect(page.html).toContain('proposed');
    expect(page.html).toContain('Admin Ett, Admin Två');
    // Names only: no e-mail addresses of administrators.
    expect(page.html).not.toContain('a1@example.org');
    // Escaped.
    expect(page.html).toContain('proposed-&lt;b&gt;x&lt;/b&gt;');
    expect(page.html).not.toContain('<b>x</b>');
    // Tibro: a snapshot is due each half year (a date in the org's zone).
    expect(page.html).toMatch(/20\d\d-\d\d-01 00:00/);
  });

  it('shows an account with its timeline and the forms its role may send', async () => {
    const id = await activeAccountOverHttp(w, { handle: 'library' });
    const officer = await signIn(w.app, w.keys.officer.key);
    const page = await get(w.app, officer, `/accounts/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Account facebook · library');
    expect(page.html).toContain('PROPOSED');
    expect(page.html).toContain('APPROVE');
    expect(page.html).toMatch(/<td>proposed → active<\/td>/);
    expect(page.html).toMatch(/2026-11-23 10:00/); // 09:00Z in Stockholm
    expect(page.html).toContain('value="MONITORED"');
    expect(page.html).toContain('value="CLOSE"');
    // APPROVE is the admin's, and the account is active anyway.
    expect(page.html).not.toContain('name="type" value="APPROVE"');
    // Another organisation's accounts are not found.
    const other = await httpWorld(t, 'avesta');
    const foreign = await activeAccountOverHttp(other, { handle: 'elsewhere' });
    expect((await get(w.app, officer, `/accounts/${foreign}`)).status).toBe(404);
  });

  it("takes an officer's KEEP from the form after a review", async () => {
    const id = await activeAccountOverHttp(w, { handle: 'quiet' });
    const later = new Date(t0.getTime() + 8 * 86_400_000);
    await accountReview.run({ store: t.store, clock: () => later }, later);
    w.clock.now = later;
    const officer = await signIn(w.app, w.keys.officer.key);
    const page = await get(w.app, officer, `/accounts/${id}`);
    expect(page.html).toContain('review_due');
    expect(page.html).toContain('review due');
    const version = versionIn(page.html, 'KEEP');
    expect(version).toBeTruthy();
    // A stale version is refused with 412 and nothing changes.
    const stale = await post(w.app, officer, `/accounts/${id}/events`, { type: 'KEEP', version: String(Number(version) - 1) });
    expect(stale.status).toBe(412);
    const kept = await post(w.app, officer, `/accounts/${id}/events`, { type: 'KEEP', version: version! });
    expect(kept.status, kept.html).toBe(303);
    expect(kept.headers.get('location')).toBe(`/accounts/${id}`);
    const after = await get(w.app, officer, `/accounts/${id}`);
    expect(after.html).toContain('<td>KEEP</td>');
    expect((await call(w.app, 'GET', `/v1/accounts/${id}`, { key: w.keys.officer.key })).json.status).toBe('active');
  });

  it('refuses CLOSE without a final snapshot with AV-13 and 409, validates the reason, then closes', async () => {
    const id = await activeAccountOverHttp(w, { handle: 'to-close' });
    const officer = await signIn(w.app, w.keys.officer.key);
    let page = await get(w.app, officer, `/accounts/${id}`);
    let version = versionIn(page.html, 'CLOSE')!;
    const refused = await post(w.app, officer, `/accounts/${id}/events`, { type: 'CLOSE', reason: 'Not used', version });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('AV-13');
    expect(refused.html).toContain('When a public forum is closed, its messages are saved and archived.');
    // The zod schema: a reason is required.
    const invalid = await post(w.app, officer, `/accounts/${id}/events`, { type: 'CLOSE', reason: '  ', version });
    expect(invalid.status).toBe(400);
    // An event the role may not send: 403.
    const approve = await post(w.app, officer, `/accounts/${id}/events`, { type: 'APPROVE', version });
    expect(approve.status).toBe(403);
    // Without the CSRF token: refused before anything happens.
    const noCsrf = await w.app.request(`/accounts/${id}/events`, {
      method: 'POST',
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ type: 'CLOSE', reason: 'x', version }).toString(),
    });
    expect(noCsrf.status).toBe(403);

    const snapshot = await call(w.app, 'POST', `/v1/accounts/${id}/events`, {
      key: w.keys.officer.key,
      body: { type: 'SNAPSHOT', sha256: 'a'.repeat(64), format: 'pdf/a-1', takenAt: new Date(t0.getTime() - 60_000).toISOString(), final: true },
    });
    expect(snapshot.status, snapshot.text).toBe(200);
    page = await get(w.app, officer, `/accounts/${id}`);
    version = versionIn(page.html, 'CLOSE')!;
    const closed = await post(w.app, officer, `/accounts/${id}/events`, { type: 'CLOSE', reason: 'Not used <any more>', version });
    expect(closed.status, closed.html).toBe(303);
    page = await get(w.app, officer, `/accounts/${id}`);
    expect(page.html).toContain('closing');
    expect(page.html).toContain('Not used &lt;any more&gt;');
  });
});
