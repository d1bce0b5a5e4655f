// Idempotency-Key over HTTP: the same key and body give the same response, applied once, however
// often and however concurrently they are sent; the same key with another body is refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeAccountOverHttp, expectProblem, historyOf, httpWorld, ingest, send, versionOf, type HttpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const assess = { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required', note: 'Opening hours' };

describe('Idempotency-Key on item events', () => {
  let t: TempDb;
  let w: HttpWorld;
  let item: any;

  beforeEach(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    item = await ingest(w, await activeAccountOverHttp(w));
  });
  afterEach(() => t.cleanup());

  it('answers the same key and body twice with the same status and body, applying the event once', async () => {
    const first = await send(w, 'officer', item.id, assess, { 'Idempotency-Key': 'assess-1' });
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(first.headers.get('etag')).toBe('"2"');

    const second = await send(w, 'officer', item.id, assess, { 'Idempotency-Key': 'assess-1' });
    expect(second.status).toBe(first.status);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('etag')).toBe('"2"');

    expect((await historyOf(w, item.id)).map((e) => e.type)).toEqual(['RECEIVED', 'ASSESS']);
    expect(await versionOf(w, item.id)).toBe(2);
  });

  it('replays the original response even after the item has moved on', async () => {
    const first = await send(w, 'officer', item.id, assess, { 'Idempotency-Key': 'assess-1' });
    const acknowledged = await send(w, 'officer', item.id, { type: 'ACKNOWLEDGE', text: 'We will answer soon.' });
    expect(acknowledged.status, acknowledged.text).toBe(200);
    const retry = await send(w, 'officer', item.id, assess, { 'Idempotency-Key': 'assess-1' });
    expect(retry.status).toBe(200);
    expect(retry.text).toBe(first.text);
    expect(await versionOf(w, item.id)).toBe(3);
  });

  it('refuses the same key with a different body with 422 and applies nothing', async () => {
    const first = await send(w, 'officer', item.id, assess, { 'Idempotency-Key': 'assess-1' });
    expect(first.status).toBe(200);
    const other = await send(w, 'officer', item.id, { ...assess, decision: 'forward' }, { 'Idempotency-Key': 'assess-1' });
    expectProblem(other, 422);
    expect(await versionOf(w, item.id)).toBe(2);
    expect((await historyOf(w, item.id)).map((e) => e.type)).toEqual(['RECEIVED', 'ASSESS']);
  });

  it('applies ten parallel requests with the same key and body once, answering all with the same body', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => send(w, 'officer', item.id, assess, { 'Idempotency-Key': 'parallel-assess' })),
    );
    for (const result of results) expect(result.status, result.text).toBe(200);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect((await historyOf(w, item.id)).map((e) => e.type)).toEqual(['RECEIVED', 'ASSESS']);
  });

  it('answers a retried refusal with the same refusal, even after the state would allow the step', async () => {
    const answer = { type: 'ANSWER', text: 'At nine.' };
    const refused = await send(w, 'officer', item.id, answer, { 'Idempotency-Key': 'answer-1' });
    expectProblem(refused, 409);
    expect((await send(w, 'officer', item.id, assess)).status).toBe(200);
    const retried = await send(w, 'officer', item.id, answer, { 'Idempotency-Key': 'answer-1' });
    expect(retried.status).toBe(409);
    expect(retried.text).toBe(refused.text);
    expect((await historyOf(w, item.id)).map((e) => e.type)).toEqual(['RECEIVED', 'ASSESS']);
  });

  it('answers an Idempotency-Key with characters outside visible ASCII with 400', async () => {
    expectProblem(await send(w, 'officer', item.id, assess, { 'Idempotency-Key': 'two words' }), 400);
    expect(await versionOf(w, item.id)).toBe(1);
  });
});
