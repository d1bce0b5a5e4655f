// An item's whole walk over HTTP under Tibro: account approval, ingest, the removal steps of
// TI-14, the hash-linked history, replay, paging, and ledger verification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeAccountOverHttp, call, expectProblem, httpWorld, ingest, itemBody, type HttpWorld,
} from '../helpers/http.ts';
import { listItems } from '../../db/items/items.ts';
import { t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe('an item walked over HTTP under tibro', () => {
  let t: TempDb;
  let w: HttpWorld;
  let accountId: string;
  let item: any;
  const body = () => ({
    accountId, externalId: 'fb-comment-1', kind: 'comment', direction: 'inbound',
    author: { handle: 'resident', name: 'A Resident' }, text: 'This officer is a criminal.',
  });

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
  });
  afterAll(() => t.cleanup());

  it('proposes an account as admin and makes it active with APPROVE (TI-1, TI-4)', async () => {
    const created = await call(w.app, 'POST', '/v1/accounts', {
      key: w.keys.admin.key,
      body: {
        platform: 'facebook', handle: 'tibrokommun', url: 'https://facebook.com/tibrokommun', purpose: 'News and questions',
        audience: 'Residents', ownerUnit: 'Communications', responsible: { name: 'R One', email: 'r@tibro.example' },
        substitute: { name: 'S Two', email: 's@tibro.example' }, admins: [{ name: 'A One' }, { name: 'A Two' }],
      profile: { logo: true, siteLink: true, contact: true, publicRecordsNotice: true, moderationNotice: true },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ id: expect.any(String), status: 'proposed', platform: 'facebook' });
    accountId = created.json.id;

    const approved = await call(w.app, 'POST', `/v1/accounts/${accountId}/events`, { key: w.keys.admin.key, body: { type: 'APPROVE' } });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json.status).toBe('active');
    const read = await call(w.app, 'GET', `/v1/accounts/${accountId}`, { key: w.keys.officer.key });
    expect(read.json).toMatchObject({ id: accountId, status: 'active', platform: 'facebook' });
  });

  it('answers the integrator\'s new item with 201, ETag "1" and the item of API.md', async () => {
    const created = await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body: body() });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    item = created.json;
    expect(item).toMatchObject({
      id: expect.any(String), accountId, kind: 'comment', direction: 'inbound', status: 'received',
      state: { handling: 'received', records: 'open' }, version: 1, registration: null, machine: 'item@2', proposedRegistration: null,
      content: { text: 'This officer is a criminal.', author: { handle: 'resident', name: 'A Resident' } },
    });
    expect(item.allowedEvents).toEqual(expect.arrayContaining(['ASSESS', 'CAPTURE_EVIDENCE', 'REGISTER']));
    expect(item.allowedEvents).not.toContain('DEADLINE_BREACHED');
    // TI-2: an inbound item gets its assess deadline at once, the end of the next weekday in Stockholm.
    expect(item.deadlines).toEqual([{ kind: 'assess', dueAt: '2026-11-24T23:00:00.000Z', status: 'open' }]);

    const read = await call(w.app, 'GET', `/v1/items/${item.id}`, { key: w.keys.officer.key });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.json).toEqual({ ...item, replies: [] });
  });

  it('answers the same accountId and externalId again with 200, the same item and no new event', async () => {
    const again = await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body: body() });
    expect(again.status, again.text).toBe(200);
    expect(again.headers.get('etag')).toBe('"1"');
    expect(again.json.id).toBe(item.id);
    expect(again.json.version).toBe(1);
    const history = await call(w.app, 'GET', `/v1/items/${item.id}/history`, { key: w.keys.auditor.key });
    expect(history.json.events).toHaveLength(1);
  });

  it('walks assess, evidence, registration and removal in the order TI-14 asks, raising the ETag each step', async () => {
    const steps: Array<{ key: string; event: Record<string, unknown>; status: string }> = [
      {
        key: w.keys.officer.key, status: 'assessed',
        event: { type: 'ASSESS', decision: 'unpublish', categories: ['defamation'], registration: 'required' },
      },
      { key: w.keys.officer.key, status: 'assessed', event: { type: 'CAPTURE_EVIDENCE' } },
      { key: w.keys.registrar.key, status: 'assessed', event: { type: 'REGISTER', number: 'KS 2026/17' } },
      { key: w.keys.officer.key, status: 'registered', event: { type: 'UNPUBLISH', reason: 'Defamation', categories: ['defamation'] } },
    ];
    for (const [i, s] of steps.entries()) {
      w.clock.now = minutes(i + 1);
      const result = await call(w.app, 'POST', `/v1/items/${item.id}/events`, {
        key: s.key, body: s.event, headers: { 'If-Match': `"${i + 1}"` },
      });
      expect(result.status, result.text).toBe(200);
      expect(result.headers.get('etag')).toBe(`"${i + 2}"`);
      expect(result.json).toMatchObject({ id: item.id, version: i + 2, status: s.status });
      item = result.json;
    }
    expect(item.state).toEqual({ handling: 'unpublished', records: 'registered' });
    expect(item.registration).toEqual({ number: 'KS 2026/17', caseRef: null });
    expect(item.evidenceCaptured).toBe(true);
    expect(item.deadlines).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'assess', status: 'met' }),
      expect.objectContaining({ kind: 'remove', status: 'met' }),
    ]));
  });

  it('shows the history as seq 1..n in order, each with its actor, machine, states and a prevHash linking to the hash before it', async () => {
    const result = await call(w.app, 'GET', `/v1/items/${item.id}/history`, { key: w.keys.auditor.key });
    expect(result.status).toBe(200);
    const events: any[] = result.json.events;
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events.map((e) => e.type)).toEqual(['RECEIVED', 'ASSESS', 'CAPTURE_EVIDENCE', 'REGISTER', 'UNPUBLISH']);
    expect(events.map((e) => e.actor)).toEqual([
      { keyId: w.keys.integrator.id, role: 'integrator' },
      { keyId: w.keys.officer.id, role: 'officer' },
      { keyId: w.keys.officer.id, role: 'officer' },
      { keyId: w.keys.registrar.id, role: 'registrar' },
      { keyId: w.keys.officer.id, role: 'officer' },
    ]);
    expect(events.map((e) => e.at)).toEqual([t0, minutes(1), minutes(2), minutes(3), minutes(4)].map((d) => d.toISOString()));
    for (const event of events) {
      expect(event.machine).toBe('item@2');
      expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(event.payload).toEqual(expect.any(Object));
    }
    // The chain is the organisation's: the item's first link follows the account's approval.
    const account = await call(w.app, 'GET', `/v1/accounts/${accountId}/history`, { key: w.keys.auditor.key });
    expect(account.json.events.map((e: any) => e.type)).toEqual(['PROPOSED', 'APPROVE']);
    expect(events[0].prevHash).toBe(account.json.events.at(-1).hash);
    expect(events[0].from).toBeNull();
    expect(events[0].to).toEqual({ handling: 'received', records: 'open' });
    expect(events.at(-1).to).toEqual(item.state);
    for (let i = 1; i < events.length; i++) {
      expect(events[i].from).toEqual(events[i - 1].to);
      expect(events[i].prevHash).toBe(events[i - 1].hash);
    }
    expect(events[1].payload).toMatchObject({ decision: 'unpublish', categories: ['defamation'], registration: 'required' });
    expect(events[2].payload.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(events[3].payload).toMatchObject({ number: 'KS 2026/17' });
  });

  it('replays the recorded events to the stored state', async () => {
    const result = await call(w.app, 'GET', `/v1/items/${item.id}/replay`, { key: w.keys.auditor.key });
    expect(result.status, result.text).toBe(200);
    expect(result.json).toMatchObject({
      eventsApplied: item.version, matchesStored: true, status: 'registered', state: item.state,
    });
  });

  it('replays as of an instant before the third event with fewer events', async () => {
    const at = new Date(minutes(2).getTime() - 1).toISOString();
    const result = await call(w.app, 'GET', `/v1/items/${item.id}/replay?at=${encodeURIComponent(at)}`, { key: w.keys.auditor.key });
    expect(result.status, result.text).toBe(200);
    expect(result.json).toMatchObject({
      asOf: at, eventsApplied: 2, status: 'assessed', state: { handling: 'assessed', records: 'open' },
    });
  });

  it('gives an outbound item no deadlines', async () => {
    const outbound = await ingest(w, accountId, { kind: 'post', direction: 'outbound', text: 'Library hours change.' });
    expect(outbound.deadlines).toEqual([]);
    expect(outbound.status).toBe('received');
  });

  it('pages GET /v1/items?status= with limit=1 through nextCursor without duplicates', async () => {
    const received = [
      ...(await call(w.app, 'GET', '/v1/items?status=received&limit=200', { key: w.keys.officer.key })).json.items,
    ].map((i: any) => i.id);
    for (let i = 0; i < 3; i++) received.push((await ingest(w, accountId)).id);
    expect(received).toHaveLength(4);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query: string = `/v1/items?status=received&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const result = await call(w.app, 'GET', query, { key: w.keys.officer.key });
      expect(result.status, result.text).toBe(200);
      expect(result.json.items.length).toBeLessThanOrEqual(1);
      for (const listed of result.json.items) {
        expect(listed.status).toBe('received');
        seen.push(listed.id);
      }
      cursor = result.json.nextCursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...received].sort());
    expect(seen).not.toContain(item.id);

    const registered = await call(w.app, 'GET', '/v1/items?status=registered', { key: w.keys.officer.key });
    expect(registered.json).toMatchObject({ items: [expect.objectContaining({ id: item.id })], nextCursor: null });
  });

  it('filters the list by accountId', async () => {
    const other = await activeAccountOverHttp(w, { handle: 'tibrobibliotek' });
    const own = await ingest(w, other);
    const result = await call(w.app, 'GET', `/v1/items?accountId=${other}`, { key: w.keys.officer.key });
    expect(result.json.items.map((i: any) => i.id)).toEqual([own.id]);
  });

  it('answers the list as c.json would: application/json, and the text of listItems\'s page byte for byte', async () => {
    const result = await call(w.app, 'GET', '/v1/items?limit=3', { key: w.keys.officer.key });
    expect(result.status, result.text).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json');
    const page = await listItems(t.store.db, w.org.id, { limit: 3, now: w.clock.now });
    expect(page.items).toHaveLength(3);
    expect(result.text).toBe(JSON.stringify(page));
    // Each listed item is the item GET /v1/items/{id} answers, without the words recorded on it.
    for (const listed of result.json.items) {
      const { replies: _replies, ...one } = (await call(w.app, 'GET', `/v1/items/${listed.id}`, { key: w.keys.officer.key })).json;
      expect(JSON.stringify(listed)).toBe(JSON.stringify(one));
    }
  });

  it('verifies the organisation\'s ledger for an auditor', async () => {
    const result = await call(w.app, 'GET', '/v1/audit/verify', { key: w.keys.auditor.key });
    expect(result.status, result.text).toBe(200);
    expect(result.json).toMatchObject({ ok: true, breaks: [] });
    expect(result.json.events).toBeGreaterThanOrEqual(item.version);
    expect((await call(w.app, 'GET', '/v1/audit/verify', { key: w.keys.admin.key })).json.ok).toBe(true);
  });

  it('refuses ledger verification to an officer with 403', async () => {
    expectProblem(await call(w.app, 'GET', '/v1/audit/verify', { key: w.keys.officer.key }), 403);
  });

  it('thins an item of no value as registrar: status thinned and content null (TI-13)', async () => {
    const minor = await ingest(w, accountId, { text: 'Nice photo!' });
    await call(w.app, 'POST', `/v1/items/${minor.id}/events`, {
      key: w.keys.officer.key, body: { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' },
    });
    const thinned = await call(w.app, 'POST', `/v1/items/${minor.id}/events`, {
      key: w.keys.registrar.key, body: { type: 'THIN', reason: 'Of minor value' },
    });
    expect(thinned.status, thinned.text).toBe(200);
    expect(thinned.json).toMatchObject({ status: 'thinned', content: null, version: 3, allowedEvents: [] });
    const read = await call(w.app, 'GET', `/v1/items/${minor.id}`, { key: w.keys.officer.key });
    expect(read.json).toMatchObject({ status: 'thinned', content: null });
    expect(read.text).not.toContain('Nice photo!');
    const replay = await call(w.app, 'GET', `/v1/items/${minor.id}/replay`, { key: w.keys.auditor.key });
    expect(replay.json).toMatchObject({ matchesStored: true, eventsApplied: 3, status: 'thinned' });
  });

  it('ingests with an explicit receivedAt in the past (backfill)', async () => {
    const result = await call(w.app, 'POST', '/v1/items', {
      key: w.keys.integrator.key, body: itemBody(accountId, { receivedAt: '2026-11-20T08:00:00+01:00' }),
    });
    expect(result.status, result.text).toBe(201);
    expect(result.json.receivedAt).toBe('2026-11-20T07:00:00.000Z');
  });
});
