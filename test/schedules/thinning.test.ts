// The thinning job (AV-14, TI-13): what it thins, what it must never thin (LI-4, UP-8, holds,
// open conversations), and the decision record auditors read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { findItem, viewOf } from '../../db/items/items.ts';
import type { Actor } from '../../db/ledger/ledger.ts';
import type { Organisation } from '../../db/organisations.ts';
import { listThinningDecisions } from '../../db/items/thinning.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { thinning } from '../../schedules/thinning.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const sevenMonthsLater = new Date('2027-06-24T12:00:00Z');

describe('the thinning job', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(() => t.cleanup());

  const deps = () => ({ store: t.store, clock: () => new Date() });

  async function step(org: Organisation, itemId: string, event: ItemEventBody, actor: Actor = officer) {
    const result = await applyItemEvent(t.store, { orgId: org.id, itemId, actor, ifMatch: null, idempotency: null, now: t0, event });
    if (!result.ok) throw new Error(`${event.type}: ${result.detail}`);
    return result.item;
  }
  const noAction = (registration: 'required' | 'not_required' = 'not_required'): ItemEventBody =>
    ({ type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration });

  it('thins done, unregistered items older than six months under Avesta\'s policy and records the decision (AV-14)', async () => {
    const org = await organisation(t.store, 'avesta');
    const account = await activeAccount(t.store, org);
    const done = await receivedItem(t.store, org, account.id);
    await step(org, done.id, noAction());
    const pending = await receivedItem(t.store, org, account.id);

    expect(await thinning.run(deps(), new Date('2027-05-01T00:00:00Z'))).toEqual({ thinned: 0, decisions: 0 });
    expect(await thinning.run(deps(), sevenMonthsLater)).toEqual({ thinned: 1, decisions: 1 });
    expect(await thinning.run(deps(), sevenMonthsLater)).toEqual({ thinned: 0, decisions: 0 });

    const thinned = await viewOf(t.store.db, (await findItem(t.store.db, org.id, done.id))!);
    expect(thinned).toMatchObject({ status: 'thinned', content: null });
    expect((await viewOf(t.store.db, (await findItem(t.store.db, org.id, pending.id))!)).status).toBe('received');
    const { decisions } = await listThinningDecisions(t.store.db, org.id, 10);
    expect(decisions).toEqual([
      expect.objectContaining({ rule: 'AV-14', preset: 'avesta', job: 'thinning', itemIds: [done.id], decidedAt: sevenMonthsLater.toISOString() }),
    ]);
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });

  it('never thins an item whose registration is required (LI-4), that is registered, or that is on hold', async () => {
    const org = await organisation(t.store, 'lillesand');
    const account = await activeAccount(t.store, org);
    const required = await receivedItem(t.store, org, account.id);
    await step(org, required.id, noAction('required'));
    const registered = await receivedItem(t.store, org, account.id);
    await step(org, registered.id, noAction());
    await step(org, registered.id, { type: 'REGISTER', number: 'LI 2026/1' }, registrar);
    const held = await receivedItem(t.store, org, account.id);
    await step(org, held.id, noAction());
    await step(org, held.id, { type: 'HOLD', reason: 'Requested under the public access act' }, registrar);

    expect(await thinning.run(deps(), sevenMonthsLater)).toEqual({ thinned: 0, decisions: 0 });
    await step(org, held.id, { type: 'RELEASE_HOLD', reason: 'Request handled' }, registrar);
    expect(await thinning.run(deps(), sevenMonthsLater)).toEqual({ thinned: 1, decisions: 1 });
  });

  it('thins nothing under Uppsala\'s policy, where every item is registered (UP-8)', async () => {
    const org = await organisation(t.store, 'uppsala');
    const account = await activeAccount(t.store, org);
    const item = await receivedItem(t.store, org, account.id);
    await step(org, item.id, noAction('required'));
    expect(await thinning.run(deps(), new Date('2030-01-01T00:00:00Z'))).toEqual({ thinned: 0, decisions: 0 });
  });

  it('thins a direct message as soon as its conversation is closed, not before (AV-14)', async () => {
    const org = await organisation(t.store, 'avesta');
    const account = await activeAccount(t.store, org);
    const dm = await receivedItem(t.store, org, account.id, { kind: 'direct_message' });
    await step(org, dm.id, noAction());
    const tomorrow = new Date('2026-11-24T12:00:00Z');
    expect(await thinning.run(deps(), tomorrow)).toEqual({ thinned: 0, decisions: 0 });
    await step(org, dm.id, { type: 'CLOSE_CONVERSATION' });
    expect(await thinning.run(deps(), tomorrow)).toEqual({ thinned: 1, decisions: 1 });
    const { decisions } = await listThinningDecisions(t.store.db, org.id, 10);
    expect(decisions[0]).toMatchObject({ rule: 'AV-14', itemIds: [dm.id] });
  });
});
