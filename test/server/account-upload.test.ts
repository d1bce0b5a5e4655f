// The account page's snapshot upload (AV-11, TI-12, AV-13): offered where the machine takes a
// SNAPSHOT and the role may send one, flagged when one is due; the file's format read from its
// bytes; the upload recorded as the API's upload is; and the forms the page offers are those the
// account's machine allows in its state, plus those a rule refuses now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshots } from '../../schedules/snapshots.ts';
import { activeAccountOverHttp, call, httpWorld, type HttpWorld } from '../helpers/http.ts';
import { getPage, signIn, type Session } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const pdfA = (marker: string) =>
  Buffer.from(`%PDF-1.4\n<x:xmpmeta><pdfaid:part>1</pdfaid:part></x:xmpmeta>\n% ${marker}\n%%EOF\n`, 'latin1');
const formTypes = (html: string) => [...html.matchAll(/name="type" value="([A-Z_]+)"/g)].map((m) => m[1]);

describe('the account page: snapshot upload and the events its machine allows', () => {
  let t: TempDb;
  let w: HttpWorld;
  beforeEach(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
  });
  afterEach(() => t.cleanup());

  async function upload(session: Session, id: string, file: File, fields: Record<string, string> = {}) {
    const page = await getPage(w.app, session, `/accounts/${id}`);
    const version = /id="snapshot"[\s\S]*?name="version" value="(\d+)"/.exec(page.html)?.[1] ?? '';
    const form = new FormData();
    form.append('_csrf', session.csrf);
    form.append('version', version);
    form.append('file', file);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const response = await w.app.request(`/accounts/${id}/snapshots`, { method: 'POST', headers: { cookie: session.cookie }, body: form });
    return { status: response.status, location: response.headers.get('location'), html: await response.text() };
  }

  it('uploads a due snapshot from the page, records it, and lets the account close after the final one', async () => {
    const id = await activeAccountOverHttp(w, { handle: 'library' });
    // The half-year's snapshot falls due (the job flags it).
    const later = new Date('2027-01-05T09:00:00Z');
    await snapshots.run({ store: t.store, clock: () => later }, later);
    w.clock.now = later;
    const officer = await signIn(w.app, w.keys.officer.key);
    const list = await getPage(w.app, officer, '/accounts');
    expect(list.html).toContain(`href="/accounts/${id}#snapshot"`);
    const page = await getPage(w.app, officer, `/accounts/${id}`);
    expect(page.html).toContain('Upload the snapshot that is due (SNAPSHOT)');
    expect(page.html).toMatch(/<form method="post" action="\/accounts\/[^"]+\/snapshots" enctype="multipart\/form-data" id="snapshot"/);

    // Not a PDF or PNG: 400, nothing recorded.
    const garbage = await upload(officer, id, new File(['GIF89a'], 'x.gif', { type: 'image/gif' }));
    expect(garbage.status).toBe(400);
    expect(garbage.html).toContain('neither a PDF nor a PNG');
    expect((await call(w.app, 'GET', `/v1/accounts/${id}/snapshots`, { key: w.keys.officer.key })).json.snapshots).toEqual([]);

    const done = await upload(officer, id, new File([new Uint8Array(pdfA('january'))], 'january.pdf', { type: 'application/pdf' }), { final: 'true' });
    expect(done.status, done.html).toBe(303);
    expect(done.location).toBe(`/accounts/${id}`);
    const files = (await call(w.app, 'GET', `/v1/accounts/${id}/snapshots`, { key: w.keys.officer.key })).json.snapshots;
    expect(files).toHaveLength(1);
    expect(files[0].format).toBe('pdf/a-1');
    const account = (await call(w.app, 'GET', `/v1/accounts/${id}`, { key: w.keys.officer.key })).json;
    expect(account.flags.snapshotDue).toBeNull();
    const after = await getPage(w.app, officer, `/accounts/${id}`);
    expect(after.html).not.toContain('Upload the snapshot that is due');
    expect(after.html).toContain('<td>SNAPSHOT</td>');
    // With the final snapshot, CLOSE is no longer refused by AV-13.
    expect(after.html).not.toContain('a rule refuses this now');
  });

  it('refuses a snapshot in a format the policy does not accept with its rule, and an upload by a role without SNAPSHOT with 403', async () => {
    const id = await activeAccountOverHttp(w, { handle: 'library' });
    const officer = await signIn(w.app, w.keys.officer.key);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082', 'hex');
    const refused = await upload(officer, id, new File([new Uint8Array(png)], 'shot.png', { type: 'image/png' }));
    expect(refused.status).toBe(409);
    expect(refused.html).toMatch(/TI-12/);
    const auditor = await signIn(w.app, w.keys.auditor.key);
    expect((await getPage(w.app, auditor, `/accounts/${id}`)).html).not.toContain('id="snapshot"');
    expect((await upload(auditor, id, new File([new Uint8Array(pdfA('x'))], 'x.pdf'))).status).toBe(403);
    expect((await call(w.app, 'GET', `/v1/accounts/${id}/snapshots`, { key: w.keys.officer.key })).json.snapshots).toEqual([]);
  });

  it('offers the forms the machine allows in each state: APPROVE on a proposed account for the admin, CLOSE refused by AV-13 on an active one', async () => {
    const proposed = await call(w.app, 'POST', '/v1/accounts', { key: w.keys.admin.key, body: { platform: 'x', handle: 'new', purpose: 'News' } });
    const admin = await signIn(w.app, w.keys.admin.key);
    expect(formTypes((await getPage(w.app, admin, `/accounts/${proposed.json.id}`)).html)).toEqual(['APPROVE']);
    const active = await activeAccountOverHttp(w, { handle: 'library' });
    const page = await getPage(w.app, admin, `/accounts/${active}`);
    expect(formTypes(page.html)).toEqual(['MONITORED', 'CLOSE']);
    expect(page.html).toContain('Close the account (CLOSE) — a rule refuses this now');
  });
});
