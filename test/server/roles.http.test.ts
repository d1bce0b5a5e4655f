// Who may send what, over HTTP: every item event type against every role, with the expected
// answer derived from the one role table (itemEventRoles). A role outside the table gets 403; a
// role inside it never does (it may still get 409 where the state or a rule refuses the step).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemEventRoles, itemEventTypes, roles, type ItemEventType, type Role } from '../../machines/item.events.ts';
import {
  accountBody, activeAccountOverHttp, call, expectProblem, httpWorld, ingest, send, versionOf, type HttpWorld,
} from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

/** A valid body for every event type, so the role gate is what answers. */
const validEvents: Record<ItemEventType, Record<string, unknown>> = {
  ASSESS: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' },
  ACKNOWLEDGE: { type: 'ACKNOWLEDGE', text: 'We will answer within two days.' },
  ANSWER: { type: 'ANSWER', text: 'The library opens at nine.' },
  FORWARD: { type: 'FORWARD', to: 'Culture and leisure' },
  NOTIFY_AUTHOR: { type: 'NOTIFY_AUTHOR', text: 'Your comment breaks our rules and will be removed.' },
  CAPTURE_EVIDENCE: { type: 'CAPTURE_EVIDENCE' },
  UNPUBLISH: { type: 'UNPUBLISH', reason: 'Personal attack', categories: ['personal_attack'] },
  REGISTER: { type: 'REGISTER', number: 'KS 2026/3', caseRef: 'KS 2026/1' },
  CLOSE_CONVERSATION: { type: 'CLOSE_CONVERSATION' },
  HOLD: { type: 'HOLD', reason: 'Requested as evidence' },
  RELEASE_HOLD: { type: 'RELEASE_HOLD', reason: 'No longer needed' },
  THIN: { type: 'THIN', reason: 'Of minor value (TI-13)' },
  DEADLINE_BREACHED: { type: 'DEADLINE_BREACHED', deadline: 'assess', dueAt: '2026-11-24T23:00:00Z' },
};

const cases = itemEventTypes.flatMap((type) =>
  roles.map((role) => ({ type, role, allowed: itemEventRoles[type].includes(role) })),
);

describe('the role table over HTTP', () => {
  let t: TempDb;
  let w: HttpWorld;
  let accountId: string;
  let shared: { id: string };

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    accountId = await activeAccountOverHttp(w);
    shared = await ingest(w, accountId);
  });
  afterAll(() => t.cleanup());

  it('covers every event type of the contract, and gives no client role DEADLINE_BREACHED', () => {
    expect(cases).toHaveLength(13 * 5);
    expect(cases.filter((c) => c.type === 'DEADLINE_BREACHED' && c.allowed)).toEqual([]);
    expect(cases.filter((c) => c.type === 'THIN' && c.allowed).map((c) => c.role)).toEqual(['registrar']);
  });

  it.each(cases.filter((c) => !c.allowed))('refuses $type from $role with 403 and leaves the item alone', async ({ type, role }) => {
    const before = await versionOf(w, shared.id);
    const problem = expectProblem(await send(w, role, shared.id, validEvents[type]), 403);
    expect(problem.detail).toContain(type);
    expect(await versionOf(w, shared.id)).toBe(before);
  });

  it.each(cases.filter((c) => c.allowed))('lets $role send $type: 200 or 409 by state, never 403', async ({ type, role }) => {
    const item = await ingest(w, accountId, { kind: type === 'CLOSE_CONVERSATION' ? 'direct_message' : 'comment' });
    const result = await send(w, role, item.id, validEvents[type]);
    expect([200, 409], result.text).toContain(result.status);
    if (result.status === 409) expect(result.json.allowedEvents ?? result.json.rule).toBeDefined();
  });

  it.each(roles.filter((role) => role !== 'admin'))('refuses an account proposal from %s with 403 (admin only)', async (role: Role) => {
    expectProblem(await call(w.app, 'POST', '/v1/accounts', { key: w.keys[role].key, body: accountBody }), 403);
  });

  it.each(roles.filter((role) => role !== 'admin'))('refuses APPROVE from %s with 403 (admin only)', async (role: Role) => {
    const created = await call(w.app, 'POST', '/v1/accounts', { key: w.keys.admin.key, body: { ...accountBody, handle: `h-${role}` } });
    const problem = expectProblem(
      await call(w.app, 'POST', `/v1/accounts/${created.json.id}/events`, { key: w.keys[role].key, body: { type: 'APPROVE' } }),
      403,
    );
    expect(problem.detail).toContain(role);
    const after = await call(w.app, 'GET', `/v1/accounts/${created.json.id}`, { key: w.keys.admin.key });
    expect(after.json.status).toBe('proposed');
  });

  it.each(roles.filter((role) => role !== 'integrator'))('refuses ingest from %s with 403 (integrator only)', async (role: Role) => {
    const result = await call(w.app, 'POST', '/v1/items', {
      key: w.keys[role].key,
      body: { accountId, externalId: `by-${role}`, kind: 'comment', direction: 'inbound', author: { handle: 'r' }, text: 'Hi' },
    });
    expectProblem(result, 403);
  });

  it.each(roles.map((role) => ({ role, allowed: role === 'auditor' || role === 'admin' })))(
    'answers /v1/audit/verify for $role: allowed $allowed (auditor, admin)',
    async ({ role, allowed }) => {
      const result = await call(w.app, 'GET', '/v1/audit/verify', { key: w.keys[role].key });
      if (allowed) expect(result.json).toMatchObject({ ok: true });
      else expectProblem(result, 403);
    },
  );

  it.each(roles)('lets %s read items, history and replay', async (role: Role) => {
    for (const path of [`/v1/items/${shared.id}`, `/v1/items/${shared.id}/history`, `/v1/items/${shared.id}/replay`, '/v1/items']) {
      const result = await call(w.app, 'GET', path, { key: w.keys[role].key });
      expect(result.status, `${path}: ${result.text}`).toBe(200);
    }
  });
});
