// Replay re-runs an item's recorded events through the recorded machine version: to the stored
// snapshot without a cut-off, to the state of the time with one, and it notices a snapshot or a
// ledger that no longer agree.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { findItem } from '../../db/items/items.ts';
import { subjectHistory, type Actor } from '../../db/ledger/ledger.ts';
import type { Organisation } from '../../db/organisations.ts';
import { replayItem } from '../../db/ledger/replay.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const farFuture = new Date('2100-01-01T00:00:00Z');

describe('replaying an item', () => {
  let t: TempDb;
  let org: Organisation;
  let accountId: string;

  beforeEach(async () => {
    t = await tempDb();
    org = await organisation(t.store, 'tibro');
    accountId = (await activeAccount(t.store, org)).id;
  });
  afterEach(() => t.cleanup());

  const sql = (statement: string, args: Array<string | number> = []) => t.store.client.execute({ sql: statement, args });

  async function step(itemId: string, event: ItemEventBody, at: Date, actor: Actor = officer) {
    const result = await applyItemEvent(t.store, { orgId: org.id, itemId, actor, event, ifMatch: null, idempotency: null, now: at });
    if (!result.ok) throw new Error(result.detail);
    return result.item;
  }

  /** Received at t0, assessed at +10 min, answered at +20, registered at +30. */
  async function answeredAndRegistered() {
    const item = await receivedItem(t.store, org, accountId);
    await step(item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required', note: 'n' }, later(10));
    await step(item.id, { type: 'ANSWER', text: 'At ten.' }, later(20));
    await step(item.id, { type: 'REGISTER', number: 'KS 2026/7' }, later(30), registrar);
    return item.id;
  }

  it('arrives at the stored snapshot, applying as many events as the version', async () => {
    const id = await answeredAndRegistered();
    const stored = (await findItem(t.store.db, org.id, id))!;
    const replay = await replayItem(t.store.db, org.id, id, farFuture);
    expect(replay).toEqual({
      asOf: farFuture.toISOString(), eventsApplied: stored.version, state: stored.state, status: 'registered', matchesStored: true,
    });
    expect(stored.version).toBe(4);
  });

  it('stops at an instant between two events with the earlier state and fewer events', async () => {
    const id = await answeredAndRegistered();
    expect(await replayItem(t.store.db, org.id, id, later(15))).toMatchObject({
      asOf: later(15).toISOString(), eventsApplied: 2, state: { handling: 'assessed', records: 'open' }, status: 'assessed',
    });
    expect(await replayItem(t.store.db, org.id, id, later(25))).toMatchObject({
      eventsApplied: 3, state: { handling: 'answered', records: 'open' }, status: 'answered',
    });
  });

  it('includes an event recorded exactly at the cut-off instant', async () => {
    const id = await answeredAndRegistered();
    expect(await replayItem(t.store.db, org.id, id, later(20))).toMatchObject({ eventsApplied: 3, status: 'answered' });
    expect(await replayItem(t.store.db, org.id, id, new Date(later(20).getTime() - 1))).toMatchObject({ eventsApplied: 2, status: 'assessed' });
  });

  it('knows nothing of the item before it was received', async () => {
    const id = await answeredAndRegistered();
    const replay = await replayItem(t.store.db, org.id, id, new Date(t0.getTime() - 1));
    expect(replay).toMatchObject({ eventsApplied: 0, state: null, status: null, matchesStored: false });
    expect(replay).not.toHaveProperty('problem');
  });

  it('notices a stored context that no longer matches the events', async () => {
    const id = await answeredAndRegistered();
    await sql(`update items set context = json_set(context, '$.decision', 'no_action') where id = ?`, [id]);
    const replay = await replayItem(t.store.db, org.id, id, farFuture);
    expect(replay).toMatchObject({ eventsApplied: 4, matchesStored: false });
  });

  it('notices a stored state that no longer matches the events', async () => {
    const id = await answeredAndRegistered();
    await sql(`update items set state = '{"handling":"answered","records":"open"}' where id = ?`, [id]);
    expect((await replayItem(t.store.db, org.id, id, farFuture))?.matchesStored).toBe(false);
  });

  it('names the event whose recorded state replay cannot reach', async () => {
    const id = await answeredAndRegistered();
    await sql(`update ledger_events set to_state = '{"handling":"no_action","records":"open"}' where subject_id = ? and seq = 2`, [id]);
    const replay = await replayItem(t.store.db, org.id, id, farFuture);
    expect(replay).toMatchObject({ eventsApplied: 1, matchesStored: false, problem: expect.stringContaining('seq 2') });
  });

  it('names an event that names a machine version it does not know', async () => {
    const id = await answeredAndRegistered();
    await sql(`update ledger_events set machine = 'item@99' where subject_id = ? and seq = 3`, [id]);
    const replay = await replayItem(t.store.db, org.id, id, farFuture);
    expect(replay).toMatchObject({ eventsApplied: 2, matchesStored: false, problem: expect.stringContaining('item@99') });
  });

  it('replays deadline breaches written by the system actor along with the client events (TI-2)', async () => {
    const item = await receivedItem(t.store, org, accountId);
    // Monday's item is assessed on Thursday: the assessment deadline (end of Tuesday) is breached first.
    const thursday = new Date('2026-11-26T09:00:00Z');
    const assessed = await step(item.id, { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' }, thursday);
    expect((await subjectHistory(t.store.db, org.id, item.id)).map((e) => [e.type, e.actor.role])).toEqual([
      ['RECEIVED', 'integrator'], ['DEADLINE_BREACHED', 'system'], ['ASSESS', 'officer'],
    ]);
    expect(await replayItem(t.store.db, org.id, item.id, farFuture)).toMatchObject({
      eventsApplied: assessed.version, matchesStored: true, status: 'assessed',
    });
  });

  it('replays a thinned item to its stored snapshot although its content is erased (TI-13)', async () => {
    const item = await receivedItem(t.store, org, accountId);
    await step(item.id, { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required', note: 'Kind' }, later(1));
    await step(item.id, { type: 'THIN', reason: 'Temporary value' }, later(2), registrar);
    expect(await replayItem(t.store.db, org.id, item.id, farFuture)).toMatchObject({
      eventsApplied: 3, status: 'thinned', matchesStored: true,
    });
  });

  /** Received, then held and released `times` times: the same (state, event) pairs over and over. */
  async function heldAndReleased(times: number, lastReason = 'Awaiting legal') {
    const item = await receivedItem(t.store, org, accountId);
    for (let i = 0; i < times; i++) {
      await step(item.id, { type: 'HOLD', reason: 'Awaiting legal' }, later(2 * i + 1), registrar);
      await step(item.id, { type: 'RELEASE_HOLD', reason: 'Cleared' }, later(2 * i + 2), registrar);
    }
    await step(item.id, { type: 'HOLD', reason: lastReason }, later(2 * times + 1), registrar);
    return item.id;
  }

  it('replays a history that repeats itself to the stored snapshot, telling apart events that differ only in payload', async () => {
    const id = await heldAndReleased(20, 'Awaiting the archivist');
    expect(await replayItem(t.store.db, org.id, id, farFuture)).toEqual({
      asOf: farFuture.toISOString(), eventsApplied: 42, state: { handling: 'received', records: 'open' }, status: 'received', matchesStored: true,
    });
  });

  it('names a recorded state that replay cannot reach inside a repeating history', async () => {
    const id = await heldAndReleased(20);
    await sql(`update ledger_events set to_state = '{"handling":"assessed","records":"open"}' where subject_id = ? and seq = 30`, [id]);
    expect(await replayItem(t.store.db, org.id, id, farFuture)).toMatchObject({
      eventsApplied: 29, matchesStored: false,
      problem: 'seq 30: replay reached {"handling":"received","records":"open"}, the ledger says {"handling":"assessed","records":"open"}',
    });
  });

  it('takes a recorded state written with its keys in another order as the same state', async () => {
    const id = await heldAndReleased(2);
    await sql(`update ledger_events set to_state = '{"records":"open","handling":"received"}' where subject_id = ? and seq = 3`, [id]);
    expect(await replayItem(t.store.db, org.id, id, farFuture)).toMatchObject({ eventsApplied: 6, matchesStored: true });
    expect(await replayItem(t.store.db, org.id, id, farFuture)).not.toHaveProperty('problem');
  });

  it('answers null for an unknown item and for another organisation\'s item', async () => {
    const id = await answeredAndRegistered();
    const other = await organisation(t.store, 'avesta');
    expect(await replayItem(t.store.db, org.id, '00000000-0000-7000-8000-000000000000', farFuture)).toBeNull();
    expect(await replayItem(t.store.db, other.id, id, farFuture)).toBeNull();
  });
});
