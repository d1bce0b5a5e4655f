// Tenancy over HTTP: a key sees only its own organisation, and another organisation's objects
// answer 404 without a trace of their data. The public channel register needs no key (TI-3, AV-2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.ts';
import { t0 } from '../helpers/fixtures.ts';
import { activeAccountOverHttp, call, expectProblem, httpWorld, ingest, itemBody, type HttpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const secretText = 'Tibro-only text: my neighbour at Storgatan 3';

describe('two organisations on one server', () => {
  let t: TempDb;
  let tibro: HttpWorld;
  let avesta: HttpWorld;
  let app: App;
  let tibroAccount: string;
  let tibroItem: any;
  let avestaItem: any;

  beforeAll(async () => {
    t = await tempDb();
    tibro = await httpWorld(t, 'tibro');
    avesta = await httpWorld(t, 'avesta');
    // One app serves both organisations, as the server does.
    app = createApp({ store: t.store, clock: () => t0 }, () => {});
    tibro.app = app;
    avesta.app = app;
    tibroAccount = await activeAccountOverHttp(tibro, { handle: 'tibrokommun', url: 'https://facebook.com/tibrokommun' });
    tibroItem = await ingest(tibro, tibroAccount, { text: secretText });
    const proposed = await call(app, 'POST', '/v1/accounts', {
      key: tibro.keys.admin.key,
      body: { platform: 'tiktok', handle: 'tibro-unapproved', purpose: 'Not yet decided', responsible: { name: 'P', email: 'p@tibro.example' } },
    });
    expect(proposed.json.status).toBe('proposed');
    const avestaAccount = await activeAccountOverHttp(avesta, { handle: 'avestakommun', url: 'https://facebook.com/avestakommun' });
    avestaItem = await ingest(avesta, avestaAccount, { text: 'Avesta question' });
  });
  afterAll(() => t.cleanup());

  function expectNoTrace(text: string) {
    expect(text).not.toContain(tibroItem.id);
    expect(text).not.toContain(tibroAccount);
    expect(text).not.toContain(secretText);
    expect(text).not.toContain('tibrokommun');
  }

  const itemRequests = () => [
    { role: 'officer', method: 'GET', path: `/v1/items/${tibroItem.id}` },
    { role: 'auditor', method: 'GET', path: `/v1/items/${tibroItem.id}/history` },
    { role: 'auditor', method: 'GET', path: `/v1/items/${tibroItem.id}/replay` },
    {
      role: 'officer', method: 'POST', path: `/v1/items/${tibroItem.id}/events`,
      body: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' },
    },
    { role: 'integrator', method: 'POST', path: `/v1/items/${tibroItem.id}/events`, body: { type: 'CAPTURE_EVIDENCE' } },
    { role: 'registrar', method: 'POST', path: `/v1/items/${tibroItem.id}/events`, body: { type: 'REGISTER', number: 'X 1' } },
  ] as const;

  it('answers 404 without tibro\'s data to avesta\'s keys on every item route of a tibro item', async () => {
    for (const request of itemRequests()) {
      const result = await call(app, request.method, request.path, {
        key: avesta.keys[request.role].key, ...('body' in request ? { body: request.body } : {}),
      });
      expectProblem(result, 404);
      expectNoTrace(result.text);
    }
    const own = await call(app, 'GET', `/v1/items/${tibroItem.id}`, { key: tibro.keys.officer.key });
    expect(own.json).toMatchObject({ version: 1, status: 'received', content: { text: secretText } });
  });

  it('answers 404 without tibro\'s data to avesta\'s admin on every account route of a tibro account', async () => {
    const key = avesta.keys.admin.key;
    for (const result of [
      await call(app, 'GET', `/v1/accounts/${tibroAccount}`, { key }),
      await call(app, 'POST', `/v1/accounts/${tibroAccount}/events`, { key, body: { type: 'APPROVE' } }),
      await call(app, 'GET', `/v1/accounts/${tibroAccount}/history`, { key }),
    ]) {
      expectProblem(result, 404);
      expectNoTrace(result.text);
    }
  });

  it('answers 404 to avesta\'s integrator ingesting on a tibro account, and creates nothing', async () => {
    const result = await call(app, 'POST', '/v1/items', {
      key: avesta.keys.integrator.key, body: itemBody(tibroAccount, { externalId: tibroItem.externalId }),
    });
    expectProblem(result, 404);
    expectNoTrace(result.text);
    const tibroList = await call(app, 'GET', `/v1/items?accountId=${tibroAccount}`, { key: tibro.keys.officer.key });
    expect(tibroList.json.items.map((i: any) => i.id)).toEqual([tibroItem.id]);
  });

  it('lists only the key\'s own organisation\'s items', async () => {
    const avestaList = await call(app, 'GET', '/v1/items?limit=200', { key: avesta.keys.officer.key });
    expect(avestaList.json.items.map((i: any) => i.id)).toEqual([avestaItem.id]);
    expectNoTrace(avestaList.text);
    const filtered = await call(app, 'GET', `/v1/items?accountId=${tibroAccount}`, { key: avesta.keys.officer.key });
    expect(filtered.json).toEqual({ items: [], nextCursor: null });
    const tibroList = await call(app, 'GET', '/v1/items?limit=200', { key: tibro.keys.officer.key });
    expect(tibroList.json.items.map((i: any) => i.id)).toEqual([tibroItem.id]);
  });

  it('lists only the key\'s own organisation\'s accounts', async () => {
    const result = await call(app, 'GET', '/v1/accounts', { key: avesta.keys.admin.key });
    expect(result.status, result.text).toBe(200);
    expectNoTrace(result.text);
    expect(result.json.accounts).toHaveLength(1);
    const own = await call(app, 'GET', '/v1/accounts', { key: tibro.keys.admin.key });
    expect(own.json.accounts.map((a: any) => a.handle).sort()).toEqual(['tibro-unapproved', 'tibrokommun']);
  });

  it('verifies and counts only the key\'s own organisation\'s events', async () => {
    // Avesta: PROPOSED and APPROVE of its account, RECEIVED of its item; Tibro also proposed a second account.
    const avestaReport = await call(app, 'GET', '/v1/audit/verify', { key: avesta.keys.auditor.key });
    expect(avestaReport.json).toEqual({ ok: true, events: 3, breaks: [] });
    const tibroReport = await call(app, 'GET', '/v1/audit/verify', { key: tibro.keys.auditor.key });
    expect(tibroReport.json).toEqual({ ok: true, events: 4, breaks: [] });
  });

  describe('the public channel register (TI-3)', () => {
    it('lists active accounts without a key, with platform, url, purpose, audience and unit and no e-mail address', async () => {
      const result = await call(app, 'GET', '/v1/orgs/tibro/channels');
      expect(result.status, result.text).toBe(200);
      expect(result.json.channels).toEqual([
        expect.objectContaining({
          id: tibroAccount, platform: 'facebook', handle: 'tibrokommun', url: 'https://facebook.com/tibrokommun',
          purpose: expect.any(String), audience: expect.any(String), ownerUnit: expect.any(String),
        }),
      ]);
      expect(result.text).not.toContain('tibro-unapproved');
      expect(result.text).not.toContain('avestakommun');
      // The fixture's responsible person, substitute and admins all have e-mail addresses.
      expect(result.text).not.toContain('@');
    });

    it('answers an unknown organisation slug with a 404 problem', async () => {
      expectProblem(await call(app, 'GET', '/v1/orgs/no-such-town/channels'), 404);
    });

    it('answers the same for any key: a key does not widen the register', async () => {
      const result = await call(app, 'GET', '/v1/orgs/tibro/channels', { key: avesta.keys.admin.key });
      expect(result.status).toBe(200);
      expect(result.text).not.toContain('@');
      expect(result.json.channels).toHaveLength(1);
    });
  });
});
