// Who may send which item event (API.md: "Item events, v1"): a role that may not send an event
// gets 403 before the event's fields are validated, and the problem names who may send it. The
// system-only events are read from itemEventRoles, so one added there is covered here too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { itemEventRoles, roles, type ItemEventType } from '../../machines/item.events.ts';
import { call, expectProblem, httpWorld, ingest, send, versionOf, activeAccountOverHttp, type HttpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const systemOnly = (Object.keys(itemEventRoles) as ItemEventType[]).filter((type) => itemEventRoles[type].every((role) => role === 'system'));

describe('the role gate of item events', () => {
  let t: TempDb;
  let w: HttpWorld;
  let itemId: string;
  beforeEach(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    itemId = (await ingest(w, await activeAccountOverHttp(w))).id;
  });
  afterEach(() => t.cleanup());

  it('reads the system-only events from the role table: DEADLINE_BREACHED among them', () => {
    expect(systemOnly).toContain('DEADLINE_BREACHED');
    expect(systemOnly).not.toContain('THIN');
  });

  const bodies = (type: string) => [
    { type },
    { type, deadline: 'assess', dueAt: '2026-11-24T23:00:00Z' },
    { type, deadline: 42, unknownField: true },
  ];

  it.each(systemOnly.flatMap((type) => roles.map((role) => ({ type, role }))))(
    '$type from $role: 403 naming the system as its only sender, whatever its fields, and nothing changes',
    async ({ type, role }) => {
      for (const body of bodies(type)) {
        const problem = expectProblem(await send(w, role, itemId, body), 403);
        expect(problem.detail).toBe(`The role ${role} may not send ${type}: it is sent by the system only.`);
      }
      expect(await versionOf(w, itemId)).toBe(1);
    },
  );

  it.each([
    { role: 'integrator', event: { type: 'REGISTER' }, who: 'registrar' },
    { role: 'auditor', event: { type: 'THIN', reason: 42 }, who: 'registrar or the system' },
    { role: 'registrar', event: { type: 'UNPUBLISH' }, who: 'officer or integrator' },
    { role: 'officer', event: { type: 'HOLD', reason: 'Inquiry' }, who: 'registrar or auditor' },
    { role: 'admin', event: { type: 'ASSESS', decision: 'maybe' }, who: 'officer' },
  ] as const)('$event.type from $role: 403 before its fields are checked, naming $who', async ({ role, event, who }) => {
    const problem = expectProblem(await send(w, role, itemId, event), 403);
    expect(problem.detail).toBe(`The role ${role} may not send ${event.type}: it is sent by ${who}.`);
    expect(await versionOf(w, itemId)).toBe(1);
  });

  it('still validates the fields of an event the role may send, and answers 400 to an unknown type or a body that is not JSON', async () => {
    expect(expectProblem(await send(w, 'registrar', itemId, { type: 'REGISTER' }), 400).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'number' })]),
    );
    expectProblem(await send(w, 'officer', itemId, { type: 'NO_SUCH_EVENT' }), 400);
    expectProblem(await send(w, 'officer', itemId, { type: 'constructor' }), 400);
    expectProblem(await call(w.app, 'POST', `/v1/items/${itemId}/events`, { key: w.keys.officer.key, body: ['DEADLINE_BREACHED'] }), 400);
    expectProblem(await call(w.app, 'POST', `/v1/items/${itemId}/events`, {
      key: w.keys.officer.key, raw: '{"type":"DEADLINE_BREACHED"', headers: { 'content-type': 'application/json' },
    }), 400);
    expect(await versionOf(w, itemId)).toBe(1);
  });

  it('refuses an event added to the role table for the system only with 403, with no change to the server', async () => {
    const table = itemEventRoles as Record<string, readonly string[]>;
    table.RECOUNTED = ['system'];
    try {
      const problem = expectProblem(await send(w, 'officer', itemId, { type: 'RECOUNTED', anything: 1 }), 403);
      expect(problem.detail).toBe('The role officer may not send RECOUNTED: it is sent by the system only.');
    } finally {
      delete table.RECOUNTED;
    }
    // Without the entry it is an unknown event again, which the contract refuses.
    expectProblem(await send(w, 'officer', itemId, { type: 'RECOUNTED', anything: 1 }), 400);
  });

  it('lets a role that may send the event through to the machine', async () => {
    const result = await send(w, 'officer', itemId, { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' });
    expect(result.status, result.text).toBe(200);
    expect(result.json.version).toBe(2);
  });
});
