// Idempotency-Key on the write path: a retried request is answered with the outcome of the first,
// applied once; the key is scoped to the API key that sent it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent, type ItemEventResult } from '../../db/write/apply-item-event.ts';
import { canonicalJson, sha256 } from '../../db/ledger/hashing.ts';
import { findItem } from '../../db/items/items.ts';
import { subjectHistory, type Actor } from '../../db/ledger/ledger.ts';
import type { Organisation } from '../../db/organisations.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, officer, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const otherOfficer: Actor = { keyId: 'test-officer-2', role: 'officer' };

const assess: ItemEventBody = { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required', note: 'Easy' };
const answer: ItemEventBody = { type: 'ANSWER', text: 'We open at ten.' };

describe('idempotency keys', () => {
  let t: TempDb;
  let org: Organisation;
  let itemId: string;

  beforeEach(async () => {
    t = await tempDb();
    org = await organisation(t.store, 'tibro');
    const account = await activeAccount(t.store, org);
    itemId = (await receivedItem(t.store, org, account.id)).id;
  });
  afterEach(() => t.cleanup());

  /** As the HTTP route does: the fingerprint covers the item, the body and the If-Match. */
  const fingerprint = (id: string, event: ItemEventBody, ifMatch: number | null = null) => sha256(canonicalJson({ itemId: id, event, ifMatch }));

  function send(event: ItemEventBody, key: string | null, opts: { actor?: Actor; minutes?: number; id?: string; fingerprint?: string } = {}) {
    const id = opts.id ?? itemId;
    return applyItemEvent(t.store, {
      orgId: org.id, itemId: id, actor: opts.actor ?? officer, event, ifMatch: null,
      idempotency: key ? { key, fingerprint: opts.fingerprint ?? fingerprint(id, event) } : null,
      now: later(opts.minutes ?? 1),
    });
  }

  function accepted(result: ItemEventResult) {
    if (!result.ok) throw new Error(`expected the step to be accepted: ${result.code} ${result.detail}`);
    return result;
  }

  const eventCount = async () => Number((await t.store.client.execute('select count(*) as n from ledger_events')).rows[0]?.n);
  const history = async () => (await subjectHistory(t.store.db, org.id, itemId)).map((e) => e.type);
  const version = async () => (await findItem(t.store.db, org.id, itemId))?.version;

  it('replays the first outcome for the same key and fingerprint, applying the event once', async () => {
    const before = await eventCount();
    const first = accepted(await send(assess, 'assess-1', { minutes: 1 }));
    const retried = accepted(await send(assess, 'assess-1', { minutes: 2 }));
    expect(first.replayed).toBe(false);
    expect(retried.replayed).toBe(true);
    expect(retried.item).toEqual(first.item);
    expect(await eventCount()).toBe(before + 1);
    expect(await history()).toEqual(['RECEIVED', 'ASSESS']);
    expect(await version()).toBe(2);
  });

  it('stores the ASSESS note once, not again on the retry', async () => {
    accepted(await send(assess, 'assess-1'));
    accepted(await send(assess, 'assess-1', { minutes: 2 }));
    const rows = await t.store.client.execute({ sql: "select count(*) as n from contents where item_id = ? and role = 'event'", args: [itemId] });
    expect(Number(rows.rows[0]?.n)).toBe(1);
  });

  it('replays the response as it was, even after the item has moved on', async () => {
    const first = accepted(await send(assess, 'assess-1', { minutes: 1 }));
    accepted(await send(answer, null, { minutes: 2 }));
    const retried = accepted(await send(assess, 'assess-1', { minutes: 3 }));
    expect(retried).toMatchObject({ replayed: true, item: { version: 2, status: 'assessed' } });
    expect(retried.item).toEqual(first.item);
    expect(await version()).toBe(3);
    expect(await history()).toEqual(['RECEIVED', 'ASSESS', 'ANSWER']);
  });

  it('answers the same key with a different request with idempotency_mismatch, changing nothing', async () => {
    accepted(await send(assess, 'k'));
    const before = await eventCount();
    const reused = await send({ ...assess, decision: 'forward' }, 'k', { minutes: 2 });
    expect(reused).toMatchObject({ ok: false, code: 'idempotency_mismatch' });
    expect(await eventCount()).toBe(before);
    expect(await version()).toBe(2);
  });

  it('treats the same key on another item as a different request', async () => {
    accepted(await send(assess, 'k'));
    const account = (await findItem(t.store.db, org.id, itemId))!.accountId;
    const other = await receivedItem(t.store, org, account);
    expect(await send(assess, 'k', { id: other.id, minutes: 2 })).toMatchObject({ ok: false, code: 'idempotency_mismatch' });
    expect((await findItem(t.store.db, org.id, other.id))?.version).toBe(1);
  });

  it('scopes keys to the API key: another key with the same key string applies anew', async () => {
    accepted(await send(assess, 'shared'));
    // The same request from another officer's key is its own request: a re-assessment, applied.
    const again = accepted(await send(assess, 'shared', { actor: otherOfficer, minutes: 2 }));
    expect(again).toMatchObject({ replayed: false, item: { version: 3 } });
    // And a different request under that string from a third key is no mismatch either.
    const third = accepted(await send(answer, 'shared', { actor: { keyId: 'test-officer-3', role: 'officer' }, minutes: 3 }));
    expect(third).toMatchObject({ replayed: false, item: { version: 4, status: 'answered' } });
    expect(await history()).toEqual(['RECEIVED', 'ASSESS', 'ASSESS', 'ANSWER']);
  });

  it('remembers a refusal: the retry gets the same refusal even once the state would allow the step', async () => {
    const refused = await send(answer, 'answer-1', { minutes: 1 });
    expect(refused).toMatchObject({ ok: false, code: 'not_allowed' });
    accepted(await send(assess, null, { minutes: 2 }));
    const retried = await send(answer, 'answer-1', { minutes: 3 });
    expect(retried).toEqual(refused);
    expect(await history()).toEqual(['RECEIVED', 'ASSESS']);
  });

  it('does not remember a request for a missing item, so the key stays free', async () => {
    const missing = '00000000-0000-7000-8000-000000000000';
    expect(await send(assess, 'k', { id: missing })).toMatchObject({ ok: false, code: 'not_found' });
    const applied = accepted(await send(assess, 'k', { minutes: 2 }));
    expect(applied).toMatchObject({ replayed: false, item: { version: 2 } });
  });

  it('collapses parallel retries of one request into one event', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => send(assess, 'burst')));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    expect(await history()).toEqual(['RECEIVED', 'ASSESS']);
  });
});
