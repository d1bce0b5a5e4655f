// The history replay reads in one value holds the same events, in the same order, as the ledger's
// own reading, with the recorded state and payload as their stored text.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { subjectHistory } from '../../db/ledger/ledger.ts';
import type { Organisation } from '../../db/organisations.ts';
import { replayHistory } from '../../db/ledger/replay-history.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('reading a history for replay', () => {
  let t: TempDb;
  let org: Organisation;
  let accountId: string;

  beforeEach(async () => {
    t = await tempDb();
    org = await organisation(t.store, 'tibro');
    accountId = (await activeAccount(t.store, org)).id;
  });
  afterEach(() => t.cleanup());

  it('answers the ledger\'s events of the subject in order, with state and payload as stored JSON', async () => {
    const item = await receivedItem(t.store, org, accountId);
    const other = await receivedItem(t.store, org, accountId);
    const events: ItemEventBody[] = [
      { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' },
      { type: 'HOLD', reason: 'Wait for "legal"' },
      { type: 'RELEASE_HOLD', reason: 'Done' },
      { type: 'REGISTER', number: 'KS 2026/7' },
    ];
    for (const [i, event] of events.entries()) {
      const actor = event.type === 'ASSESS' ? officer : registrar;
      const result = await applyItemEvent(t.store, {
        orgId: org.id, itemId: item.id, actor, event, ifMatch: null, idempotency: null, now: new Date(t0.getTime() + (i + 1) * 60_000),
      });
      expect(result.ok).toBe(true);
    }

    const read = await replayHistory(t.store.db, org.id, item.id);
    const ledger = await subjectHistory(t.store.db, org.id, item.id);
    expect(read.map((e) => ({ ...e, to: JSON.parse(e.toJson), payload: JSON.parse(e.payloadJson) }))).toEqual(
      ledger.map((e) => ({
        seq: e.seq, type: e.type, at: e.at, machine: e.machine, toJson: expect.any(String), payloadJson: expect.any(String),
        to: e.to, payload: e.payload,
      })),
    );
    expect(read.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await replayHistory(t.store.db, org.id, other.id)).toHaveLength(1);
  });

  it('answers no events for a subject of another organisation or none at all', async () => {
    const item = await receivedItem(t.store, org, accountId);
    const stranger = await organisation(t.store, 'avesta');
    expect(await replayHistory(t.store.db, stranger.id, item.id)).toEqual([]);
    expect(await replayHistory(t.store.db, org.id, '00000000-0000-7000-8000-000000000000')).toEqual([]);
  });
});
