// item@2's events over HTTP (API.md "Additions"): REFER, CORRECT on an own post, SEND_TO_REGISTRAR
// in UP-4's order, and the proposed registration of AV-12 in the item view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, httpWorld, type HttpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

async function world(preset: string) {
  const t = await tempDb();
  const w = await httpWorld(t, preset);
  const account = await call(w.app, 'POST', '/v1/accounts', {
    key: w.keys.admin.key,
    body: {
      platform: 'facebook', handle: preset, url: `https://facebook.com/${preset}`, purpose: 'News', audience: 'Residents', ownerUnit: 'Communications',
      responsible: { name: 'R One', email: 'r@example.org' }, substitute: { name: 'S Two', email: 's@example.org' },
      admins: [{ name: 'A One' }, { name: 'A Two' }],
      profile: { logo: true, siteLink: true, contact: true, publicRecordsNotice: true, moderationNotice: true },
    },
  });
  expect((await call(w.app, 'POST', `/v1/accounts/${account.json.id}/events`, { key: w.keys.admin.key, body: { type: 'APPROVE' } })).status).toBe(200);
  let n = 0;
  const receive = async (fields: Record<string, unknown> = {}) => {
    const created = await call(w.app, 'POST', '/v1/items', {
      key: w.keys.integrator.key,
      body: { accountId: account.json.id, externalId: `e-${(n += 1)}`, kind: 'comment', direction: 'inbound', author: { handle: 'resident' }, text: 'A question', ...fields },
    });
    expect(created.status, created.text).toBe(201);
    return created.json;
  };
  const send = (id: string, body: Record<string, unknown>, role: keyof HttpWorld['keys'] = 'officer') =>
    call(w.app, 'POST', `/v1/items/${id}/events`, { key: w.keys[role].key, body });
  return { t, w, receive, send };
}

describe('item@2 over HTTP', () => {
  let tibro: Awaited<ReturnType<typeof world>>;
  let uppsala: Awaited<ReturnType<typeof world>>;
  let avesta: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    [tibro, uppsala, avesta] = await Promise.all([world('tibro'), world('uppsala'), world('avesta')]);
  });
  afterAll(() => [tibro, uppsala, avesta].forEach((x) => x.t.cleanup()));

  it('REFERs a question outside the remit (TI-6): answered, the answer deadline met', async () => {
    const item = await tibro.receive();
    expect((await tibro.send(item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' })).status).toBe(200);
    const referred = await tibro.send(item.id, { type: 'REFER', to: 'Skatteverket' });
    expect(referred.status, referred.text).toBe(200);
    expect(referred.json).toMatchObject({ status: 'answered', state: { handling: 'referred' }, machine: 'item@2' });
    expect(referred.json.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'answer', status: 'met' })]));
  });

  it('CORRECTs an own post and keeps the text out of the ledger (TI-7); an inbound item cannot be corrected', async () => {
    const own = await tibro.receive({ direction: 'outbound', text: 'Opening hours 9–15' });
    const corrected = await tibro.send(own.id, { type: 'CORRECT', text: 'Opening hours 10–16', note: 'Wrong hours' });
    expect(corrected.status, corrected.text).toBe(200);
    const history = await call(tibro.w.app, 'GET', `/v1/items/${own.id}/history`, { key: tibro.w.keys.auditor.key });
    const link = history.json.events.at(-1);
    expect(link.type).toBe('CORRECT');
    expect(link.payload).toEqual({ textSha256: expect.stringMatching(/^[0-9a-f]{64}$/), noteSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The ledger carries only the salted hashes; the history shows the words beside them until thinned (issue 16).
    expect(JSON.stringify(history.json.events.map((event: { payload: unknown }) => event.payload))).not.toContain('10–16');
    expect(link).toMatchObject({ text: 'Opening hours 10–16', note: 'Wrong hours' });
    const inbound = await tibro.receive();
    expect((await tibro.send(inbound.id, { type: 'CORRECT', text: 'x' })).status).toBe(409);
  });

  it('keeps UP-4 in order under Uppsala: UNPUBLISH before SEND_TO_REGISTRAR is refused with UP-4', async () => {
    const item = await uppsala.receive();
    expect((await uppsala.send(item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['spam'], registration: 'required' })).status).toBe(200);
    expect((await uppsala.send(item.id, { type: 'NOTIFY_AUTHOR', text: 'Your post breaks our rules' })).status).toBe(200);
    expect((await uppsala.send(item.id, { type: 'CAPTURE_EVIDENCE' })).status).toBe(200);
    const early = await uppsala.send(item.id, { type: 'UNPUBLISH', reason: 'Spam', categories: ['spam'] });
    expect(early.status).toBe(409);
    expect(early.json.rule).toBe('UP-4');
    expect((await uppsala.send(item.id, { type: 'SEND_TO_REGISTRAR', reason: 'Spam, evidence attached' })).status).toBe(200);
    const removed = await uppsala.send(item.id, { type: 'UNPUBLISH', reason: 'Spam', categories: ['spam'] });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.json.status).toBe('unpublished');
  });

  it('shows the registration Avesta proposes for direct messages (AV-12), and none for comments', async () => {
    expect((await avesta.receive({ kind: 'direct_message' })).proposedRegistration).toBe('required');
    expect((await avesta.receive()).proposedRegistration).toBeNull();
  });

  it('answers a system-only event from a client with 403', async () => {
    const item = await tibro.receive();
    const sent = await tibro.send(item.id, { type: 'DEADLINE_BREACHED', deadline: 'assess', dueAt: '2026-01-01T00:00:00Z' });
    expect(sent.status).toBe(403);
  });
});
