// Optimistic concurrency over HTTP: of parallel events that all name the same If-Match version,
// exactly one is applied and the rest get 412.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeAccountOverHttp, call, expectProblem, historyOf, httpWorld, ingest, send, step, versionOf, type HttpWorld,
} from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';
import type { Role } from '../../machines/item.events.ts';

describe('parallel events with the same If-Match', () => {
  let t: TempDb;
  let w: HttpWorld;
  let accountId: string;

  beforeEach(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    accountId = await activeAccountOverHttp(w);
  });
  afterEach(() => t.cleanup());

  async function race(itemId: string, role: Role, event: Record<string, unknown>, version: number) {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => send(w, role, itemId, event, { 'If-Match': `"${version}"` })),
    );
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    expect(won).toHaveLength(1);
    expect(won[0]!.headers.get('etag')).toBe(`"${version + 1}"`);
    for (const result of lost) {
      const problem = expectProblem(result, 412);
      expect(problem.currentVersion).toBe(version + 1);
    }
    return results;
  }

  it('applies one of ten ACKNOWLEDGE events on an item assessed for an answer (UP-2) and refuses nine with 412', async () => {
    const item = await ingest(w, accountId);
    await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' });
    await race(item.id, 'officer', { type: 'ACKNOWLEDGE', text: 'We will answer within two days.' }, 2);
    const history = await historyOf(w, item.id);
    expect(history.map((e) => e.type)).toEqual(['RECEIVED', 'ASSESS', 'ACKNOWLEDGE']);
    expect(await versionOf(w, item.id)).toBe(3);
  });

  it('applies one of ten CAPTURE_EVIDENCE events from the integrator (AV-7) and refuses nine with 412', async () => {
    const item = await ingest(w, accountId);
    await race(item.id, 'integrator', { type: 'CAPTURE_EVIDENCE' }, 1);
    expect((await historyOf(w, item.id)).map((e) => e.type)).toEqual(['RECEIVED', 'CAPTURE_EVIDENCE']);
  });

  it('keeps the ledger intact after the race', async () => {
    const item = await ingest(w, accountId);
    await race(item.id, 'officer', { type: 'CAPTURE_EVIDENCE' }, 1);
    const report = await call(w.app, 'GET', '/v1/audit/verify', { key: w.keys.auditor.key });
    expect(report.json).toMatchObject({ ok: true, breaks: [] });
  });

  it('answers parallel events without If-Match in some order, each applied once', async () => {
    const item = await ingest(w, accountId);
    const results = await Promise.all(Array.from({ length: 10 }, () => send(w, 'officer', item.id, { type: 'CAPTURE_EVIDENCE' })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.map((r) => r.json.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(await versionOf(w, item.id)).toBe(11);
  });

  it('ingests ten parallel copies of one new item once: one 201, nine 200 with the same id', async () => {
    const body = { accountId, externalId: 'race-1', kind: 'comment', direction: 'inbound', author: { handle: 'r' }, text: 'Hello?' };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call(w.app, 'POST', '/v1/items', { key: w.keys.integrator.key, body })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    const listed = await call(w.app, 'GET', `/v1/items?accountId=${accountId}`, { key: w.keys.officer.key });
    expect(listed.json.items).toHaveLength(1);
  });
});
