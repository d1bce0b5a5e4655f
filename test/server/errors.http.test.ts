// Every refusal over HTTP is an application/problem+json answer with the status API.md names,
// never a 500, and a refused item event leaves the item's version where it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBodyBytes } from '../../server/app.ts';
import {
  activeAccountOverHttp, call, expectProblem, httpWorld, ingest, itemBody, send, step, versionOf, type HttpWorld,
} from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const answerQuestion = { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' };

describe('errors over HTTP', () => {
  let t: TempDb;
  let w: HttpWorld;
  let accountId: string;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    accountId = await activeAccountOverHttp(w);
  });
  afterAll(() => t.cleanup());

  /** Sends a refused event and checks the problem and that the item did not move. */
  async function refusedEvent(itemId: string, role: Parameters<typeof send>[1], event: Record<string, unknown>, status: number, headers: Record<string, string> = {}) {
    const before = await versionOf(w, itemId);
    const problem = expectProblem(await send(w, role, itemId, event, headers), status);
    expect(await versionOf(w, itemId)).toBe(before);
    return problem;
  }

  describe('authentication', () => {
    it('answers a request without a key with 401 and a Bearer challenge', async () => {
      const result = await call(w.app, 'GET', '/v1/items');
      expectProblem(result, 401);
      expect(result.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('answers an unknown key with 401', async () => {
      expectProblem(await call(w.app, 'GET', '/v1/items', { key: 'dia_000000000000000000000000000000000000000000000000' }), 401);
    });

    it('answers a malformed Authorization header with 401', async () => {
      expectProblem(await call(w.app, 'GET', '/v1/items', { headers: { authorization: `Basic ${w.keys.admin.key}` } }), 401);
    });

    it('answers an item event without a key with 401 and leaves the item alone', async () => {
      const item = await ingest(w, accountId);
      expectProblem(await call(w.app, 'POST', `/v1/items/${item.id}/events`, { body: answerQuestion }), 401);
      expect(await versionOf(w, item.id)).toBe(1);
    });
  });

  describe('roles', () => {
    it('refuses ASSESS from an integrator with 403', async () => {
      const item = await ingest(w, accountId);
      await refusedEvent(item.id, 'integrator', answerQuestion, 403);
    });

    it.each(['admin', 'integrator', 'officer', 'registrar', 'auditor'] as const)(
      'refuses DEADLINE_BREACHED from a client (%s) with 403: only the system actor writes it',
      async (role) => {
        const item = await ingest(w, accountId);
        const problem = await refusedEvent(item.id, role, { type: 'DEADLINE_BREACHED', deadline: 'assess', dueAt: '2026-11-24T23:00:00Z' }, 403);
        expect(problem.detail).toMatch(/system/);
      },
    );

    it('refuses THIN from an officer with 403 (registrar or system only)', async () => {
      const item = await ingest(w, accountId);
      await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'no_action', categories: ['off_topic'], registration: 'not_required' });
      await refusedEvent(item.id, 'officer', { type: 'THIN', reason: 'Of minor value (TI-13)' }, 403);
    });

    it('refuses an account proposal from an integrator with 403', async () => {
      expectProblem(await call(w.app, 'POST', '/v1/accounts', { key: w.keys.integrator.key, body: { platform: 'x', handle: 'x' } }), 403);
    });
  });

  describe('invalid input', () => {
    it('answers an event with wrong and missing fields with 400 and the paths of the issues', async () => {
      const item = await ingest(w, accountId);
      const problem = await refusedEvent(item.id, 'officer', { type: 'ASSESS', decision: 'maybe', categories: 'question' }, 400);
      const paths = problem.errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['decision', 'categories', 'registration']));
      for (const error of problem.errors) expect(error).toEqual({ path: expect.any(String), message: expect.any(String) });
    });

    it('answers an unknown event type with 400', async () => {
      const item = await ingest(w, accountId);
      const problem = await refusedEvent(item.id, 'officer', { type: 'APPROVE' }, 400);
      expect(problem.errors.map((e: { path: string }) => e.path)).toContain('type');
    });

    it('answers an event with an unknown extra field with 400', async () => {
      const item = await ingest(w, accountId);
      const problem = await refusedEvent(item.id, 'officer', { ...answerQuestion, priority: 'high' }, 400);
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/priority/) })]));
    });

    it('answers a new item with an unknown extra field with 400', async () => {
      const result = await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body: itemBody(accountId, { mood: 'angry' }) });
      expectProblem(result, 400);
    });

    it('refuses U+0000 in text kept in a column of its own (SQLite reads it back cut), and stores nothing', async () => {
      const before = (await call(w.app, 'GET', '/v1/items', { key: w.keys.officer.key })).json.items.length;
      const item = await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body: itemBody(accountId, { externalId: 'a\u0000b' }) });
      expect(expectProblem(item, 400).errors).toEqual([{ path: 'externalId', message: 'may not contain U+0000 (NUL)' }]);
      expect((await call(w.app, 'GET', '/v1/items', { key: w.keys.officer.key })).json.items.length).toBe(before);
      const account = await call(w.app, 'PATCH', `/v1/accounts/${accountId}`, { key: w.keys.admin.key, body: { purpose: 'News\u0000' } });
      expectProblem(account, 400);
    });

    it('answers a new item with an invalid kind and no author with 400 naming both paths', async () => {
      const { author: _author, ...body } = itemBody(accountId, { kind: 'tweet' });
      const problem = expectProblem(await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body }), 400);
      expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['kind', 'author']));
    });

    it('answers malformed JSON with 400', async () => {
      const item = await ingest(w, accountId);
      const result = await call(w.app, 'POST', `/v1/items/${item.id}/events`, {
        key: w.keys.officer.key, raw: '{"type": "ASSESS", ', headers: { 'content-type': 'application/json' },
      });
      expectProblem(result, 400);
      expect(await versionOf(w, item.id)).toBe(1);
    });

    it('answers malformed JSON on ingest with 400', async () => {
      const result = await call(w.app, 'POST', '/v1/items', {
        key: w.keys.integrator.key, raw: '{not json', headers: { 'content-type': 'application/json' },
      });
      expectProblem(result, 400);
    });

    it('answers a text/plain body with 415', async () => {
      const item = await ingest(w, accountId);
      const result = await call(w.app, 'POST', `/v1/items/${item.id}/events`, {
        key: w.keys.officer.key, raw: JSON.stringify(answerQuestion), headers: { 'content-type': 'text/plain' },
      });
      expectProblem(result, 415);
      expect(await versionOf(w, item.id)).toBe(1);
    });

    it('answers a request with neither a key nor JSON with 401: who is asking comes first', async () => {
      const result = await call(w.app, 'POST', '/v1/items', { raw: 'hello', headers: { 'content-type': 'text/plain' } });
      expectProblem(result, 401);
    });

    it('answers a body without a content type with 415', async () => {
      const result = await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, raw: JSON.stringify(itemBody(accountId)) });
      expectProblem(result, 415);
    });

    it('answers a body over 1 MiB with 413', async () => {
      const body = JSON.stringify(itemBody(accountId, { text: 'x'.repeat(maxBodyBytes + 10) }));
      const result = await call(w.app, 'POST', '/v1/items', {
        key: w.keys.integrator.key, raw: body, headers: { 'content-type': 'application/json' },
      });
      expectProblem(result, 413);
    });

    it('answers a body over 1 MiB that declares its Content-Length with 413', async () => {
      const body = JSON.stringify(itemBody(accountId, { text: 'x'.repeat(maxBodyBytes + 10) }));
      const result = await call(w.app, 'POST', '/v1/items', {
        key: w.keys.integrator.key, raw: body,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      });
      expectProblem(result, 413);
    });

    it('answers receivedAt ten minutes in the future with 400', async () => {
      const receivedAt = new Date(w.clock.now.getTime() + 10 * 60_000).toISOString();
      const problem = expectProblem(
        await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body: itemBody(accountId, { receivedAt }) }),
        400,
      );
      expect(problem.errors.map((e: { path: string }) => e.path)).toContain('receivedAt');
    });

    it('accepts receivedAt four minutes in the future (clock skew)', async () => {
      const receivedAt = new Date(w.clock.now.getTime() + 4 * 60_000).toISOString();
      const result = await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body: itemBody(accountId, { receivedAt }) });
      expect(result.status, result.text).toBe(201);
    });

    it('answers a receivedAt that is not an ISO instant with 400', async () => {
      const result = await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body: itemBody(accountId, { receivedAt: 'yesterday' }) });
      expectProblem(result, 400);
    });

    it('answers a category the policy does not know with 400 and its path', async () => {
      const item = await ingest(w, accountId);
      const problem = await refusedEvent(item.id, 'officer', { ...answerQuestion, categories: ['question', 'gossip'] }, 400);
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'categories.1' })]);
    });

    it('answers a malformed If-Match with 400', async () => {
      const item = await ingest(w, accountId);
      await refusedEvent(item.id, 'officer', answerQuestion, 400, { 'If-Match': '"abc"' });
    });

    it('answers an unknown list filter value and a bad limit with 400', async () => {
      expectProblem(await call(w.app, 'GET', '/v1/items?status=lost', { key: w.keys.officer.key }), 400);
      expectProblem(await call(w.app, 'GET', '/v1/items?limit=0', { key: w.keys.officer.key }), 400);
      expectProblem(await call(w.app, 'GET', '/v1/items?limit=ten', { key: w.keys.officer.key }), 400);
    });

    it('answers a page cursor this API did not issue with 400 on every paged route', async () => {
      for (const path of ['/v1/items?cursor=zzz', '/v1/deadlines?cursor=zzz', "/v1/audit/thinning?cursor=1'%20or%201=1"]) {
        expectProblem(await call(w.app, 'GET', path, { key: w.keys.auditor.key }), 400);
      }
    });

    it('answers an item or account url that is not http(s) with 400 and stores nothing', async () => {
      const item = await call(w.app, 'POST', '/v1/items', {
        key: w.keys.integrator.key, body: itemBody(accountId, { externalId: 'js-url', url: 'javascript:alert(1)' }),
      });
      expect(expectProblem(item, 400).errors.map((e: { path: string }) => e.path)).toEqual(['url']);
      const listed = await call(w.app, 'GET', '/v1/items?limit=200', { key: w.keys.officer.key });
      expect(listed.json.items.some((i: { externalId: string }) => i.externalId === 'js-url')).toBe(false);
      const account = await call(w.app, 'POST', '/v1/accounts', { key: w.keys.admin.key, body: { platform: 'x', handle: 'h', url: 'data:text/html,hi' } });
      expectProblem(account, 400);
    });

    it('answers a replay instant that is not ISO 8601 with 400', async () => {
      const item = await ingest(w, accountId);
      expectProblem(await call(w.app, 'GET', `/v1/items/${item.id}/replay?at=last-week`, { key: w.keys.auditor.key }), 400);
    });

    it('answers an account proposal with an unknown platform with 400', async () => {
      const result = await call(w.app, 'POST', '/v1/accounts', { key: w.keys.admin.key, body: { platform: 'myspace', handle: 'k' } });
      const problem = expectProblem(result, 400);
      expect(problem.errors.map((e: { path: string }) => e.path)).toContain('platform');
    });
  });

  describe('not found', () => {
    it('answers an unknown /v1 route with 404', async () => {
      expectProblem(await call(w.app, 'GET', '/v1/nothing-here', { key: w.keys.officer.key }), 404);
    });

    it('answers an unknown route outside /v1 with 404', async () => {
      expectProblem(await call(w.app, 'GET', '/nothing-here'), 404);
    });

    it('answers an unknown item id with 404 on every item route', async () => {
      const key = w.keys.officer.key;
      expectProblem(await call(w.app, 'GET', '/v1/items/no-such-item', { key }), 404);
      expectProblem(await call(w.app, 'POST', '/v1/items/no-such-item/events', { key, body: answerQuestion }), 404);
      expectProblem(await call(w.app, 'GET', '/v1/items/no-such-item/history', { key }), 404);
      expectProblem(await call(w.app, 'GET', '/v1/items/no-such-item/replay', { key }), 404);
    });

    it('answers ingest on an unknown account with 404', async () => {
      expectProblem(await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body: itemBody('no-such-account') }), 404);
    });
  });

  describe('conflicts', () => {
    it('answers an event not allowed in the state with 409 and the allowed events', async () => {
      const item = await ingest(w, accountId);
      const problem = await refusedEvent(item.id, 'officer', { type: 'ANSWER', text: 'Open 9 to 5.' }, 409);
      expect(problem.allowedEvents).toEqual(expect.arrayContaining(['ASSESS']));
      expect(problem.allowedEvents).not.toContain('ANSWER');
      expect(problem.rule).toBeUndefined();
    });

    it('refuses UNPUBLISH before the evidence is captured with 409 and rule TI-14', async () => {
      const item = await ingest(w, accountId);
      await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['hate_speech'], registration: 'required' });
      const problem = await refusedEvent(item.id, 'officer', { type: 'UNPUBLISH', reason: 'Hate speech', categories: ['hate_speech'] }, 409);
      expect(problem.rule).toBe('TI-14');
      expect(problem.allowedEvents).toContain('CAPTURE_EVIDENCE');
    });

    it('refuses UNPUBLISH after the evidence but before registration with 409 and rule TI-14', async () => {
      const item = await ingest(w, accountId);
      await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['hate_speech'], registration: 'required' });
      await step(w, 'integrator', item.id, { type: 'CAPTURE_EVIDENCE' });
      const problem = await refusedEvent(item.id, 'integrator', { type: 'UNPUBLISH', reason: 'Hate speech', categories: ['hate_speech'] }, 409);
      expect(problem.rule).toBe('TI-14');
    });

    it('refuses ASSESS of a political item for an answer with 409 and rule TI-9', async () => {
      const item = await ingest(w, accountId);
      const problem = await refusedEvent(item.id, 'officer', { ...answerQuestion, categories: ['political'] }, 409);
      expect(problem.rule).toBe('TI-9');
    });

    it('refuses ASSESS of secret content with registration not_required with 409 and rule TI-14', async () => {
      const item = await ingest(w, accountId);
      const problem = await refusedEvent(item.id, 'officer', {
        type: 'ASSESS', decision: 'unpublish', categories: ['secret'], registration: 'not_required',
      }, 409);
      expect(problem.rule).toBe('TI-14');
    });

    it('refuses APPROVE of an account with one administrator with 409 and rule TI-4', async () => {
      const created = await call(w.app, 'POST', '/v1/accounts', {
        key: w.keys.admin.key, body: { ...proposal(), admins: [{ name: 'Only One' }] },
      });
      expect(created.status, created.text).toBe(201);
      const problem = expectProblem(
        await call(w.app, 'POST', `/v1/accounts/${created.json.id}/events`, { key: w.keys.admin.key, body: { type: 'APPROVE' } }),
        409,
      );
      expect(problem.rule).toBe('TI-4');
      const after = await call(w.app, 'GET', `/v1/accounts/${created.json.id}`, { key: w.keys.admin.key });
      expect(after.json).toMatchObject({ status: 'proposed', version: 1 });
    });

    it('refuses APPROVE of an account without a substitute with 409 and rule TI-1', async () => {
      const { substitute: _substitute, ...body } = proposal();
      const created = await call(w.app, 'POST', '/v1/accounts', { key: w.keys.admin.key, body });
      const problem = expectProblem(
        await call(w.app, 'POST', `/v1/accounts/${created.json.id}/events`, { key: w.keys.admin.key, body: { type: 'APPROVE' } }),
        409,
      );
      expect(problem.rule).toBe('TI-1');
    });

    it('refuses ingest on a proposed account with 409 and rule TI-1', async () => {
      const created = await call(w.app, 'POST', '/v1/accounts', { key: w.keys.admin.key, body: proposal() });
      expect(created.json.status).toBe('proposed');
      const problem = expectProblem(
        await call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body: itemBody(created.json.id) }),
        409,
      );
      expect(problem.rule).toBe('TI-1');
      const listed = await call(w.app, 'GET', `/v1/items?accountId=${created.json.id}`, { key: w.keys.officer.key });
      expect(listed.json.items).toEqual([]);
    });

    it('refuses THIN of an item on hold with 409 and rule TI-13', async () => {
      const item = await ingest(w, accountId);
      await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'no_action', categories: ['off_topic'], registration: 'not_required' });
      await step(w, 'auditor', item.id, { type: 'HOLD', reason: 'Requested by the ombudsman' });
      const problem = await refusedEvent(item.id, 'registrar', { type: 'THIN', reason: 'Of minor value' }, 409);
      expect(problem.rule).toBe('TI-13');
      expect(problem.allowedEvents).toContain('RELEASE_HOLD');
    });

    it('refuses THIN of an item assessed as needing registration with 409 and rule TI-11', async () => {
      const item = await ingest(w, accountId);
      await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'no_action', categories: ['criticism'], registration: 'required' });
      const problem = await refusedEvent(item.id, 'registrar', { type: 'THIN', reason: 'Of minor value' }, 409);
      expect(problem.rule).toBe('TI-11');
    });

    it('answers a stale If-Match with 412', async () => {
      const item = await ingest(w, accountId);
      await step(w, 'officer', item.id, { type: 'CAPTURE_EVIDENCE' });
      await refusedEvent(item.id, 'officer', answerQuestion, 412, { 'If-Match': '"1"' });
    });

    it('accepts an If-Match that names the current version', async () => {
      const item = await ingest(w, accountId);
      const result = await send(w, 'officer', item.id, answerQuestion, { 'If-Match': '"1"' });
      expect(result.status, result.text).toBe(200);
      expect(result.headers.get('etag')).toBe('"2"');
    });
  });
});

function proposal() {
  return {
    platform: 'instagram', handle: `proposal-${Math.random().toString(36).slice(2)}`, purpose: 'Culture', audience: 'Young residents',
    ownerUnit: 'Culture', responsible: { name: 'R One' }, substitute: { name: 'S Two' }, admins: [{ name: 'A' }, { name: 'B' }],
  };
}
