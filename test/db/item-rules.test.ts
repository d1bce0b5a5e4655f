// An item's frozen rules are stored once per distinct set and named from its context
// (db/items/item-rules.ts). What the product shows and replays must not change: the view, the list,
// the export and replay see the context whole, also in a thread that has not met the rules before.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findItem, listItems, listItemsJson, viewOf } from '../../db/items/items.ts';
import { exportData } from '../../db/items/export.ts';
import { replayItem } from '../../db/ledger/replay.ts';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import type { Organisation } from '../../db/organisations.ts';
import { itemV2RulesOf } from '../../machines/item.v2.rules.ts';
import { policyOf } from '../../db/organisations.ts';
import { activeAccount, officer, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('rules stored apart from the item rows', () => {
  let t: TempDb;
  let org: Organisation;
  let accountId: string;
  beforeEach(async () => {
    t = await tempDb();
    org = await organisation(t.store, 'tibro');
    accountId = (await activeAccount(t.store, org)).id;
  });
  afterEach(() => t.cleanup());

  const sql = async (text: string, args: Array<string | number> = []) => (await t.store.client.execute({ sql: text, args })).rows;
  const storedContext = async (id: string) => (await sql('select context from items where id = ?', [id]))[0]!.context as string;

  it('names one stored set from every item received under the same policy and platform', async () => {
    const first = await receivedItem(t.store, org, accountId);
    const second = await receivedItem(t.store, org, accountId);
    const rows = await sql('select ref, rules from item_rules');
    expect(rows).toHaveLength(1);
    const { ref, rules } = rows[0]! as unknown as { ref: string; rules: string };
    expect(ref).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(rules)).toEqual(itemV2RulesOf(policyOf(org), 'facebook'));
    for (const item of [first, second]) {
      const stored = await storedContext(item.id);
      expect(JSON.parse(stored).rules).toBe(ref);
      expect(stored.length).toBeLessThan(500);
    }
  });

  it('shows, exports and replays the context whole, as the ledger recorded it', async () => {
    const item = await receivedItem(t.store, org, accountId);
    const row = await findItem(t.store.db, org.id, item.id);
    const whole = itemV2RulesOf(policyOf(org), 'facebook');
    expect((row!.context as { rules: unknown }).rules).toEqual(whole);
    const exported = await exportData(t.store.db, org.id, { itemId: item.id });
    if (!exported.ok) throw new Error(exported.detail);
    const [record] = exported.data.items as Array<{ context: { rules: unknown } }>;
    expect(record!.context.rules).toEqual(whole);
    const received = exported.data.events.find((event) => event.subjectId === item.id && event.type === 'RECEIVED');
    expect((received!.payload as { input: { rules: unknown } }).input.rules).toEqual(record!.context.rules);
    expect((await replayItem(t.store.db, org.id, item.id, t0))?.matchesStored).toBe(true);
  });

  it('reads a context stored with its rules inline, and names them from its next step on', async () => {
    const item = await receivedItem(t.store, org, accountId);
    const inline = JSON.stringify({ ...JSON.parse(await storedContext(item.id)), rules: itemV2RulesOf(policyOf(org), 'facebook') });
    await sql('update items set context = ? where id = ?', [inline, item.id]);
    await sql('delete from item_rules');
    const before = await viewOf(t.store.db, (await findItem(t.store.db, org.id, item.id))!);
    expect(before.allowedEvents).toContain('ASSESS');
    expect(before.proposedRegistration).toEqual(item.proposedRegistration);
    const assessed = await applyItemEvent(t.store, {
      orgId: org.id, itemId: item.id, actor: officer, ifMatch: null, now: t0, idempotency: null,
      event: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' },
    });
    expect(assessed.ok).toBe(true);
    const ref = JSON.parse(await storedContext(item.id)).rules as string;
    expect(await sql('select ref from item_rules')).toEqual([expect.objectContaining({ ref })]);
    expect((await replayItem(t.store.db, org.id, item.id, t0))?.matchesStored).toBe(true);
  });

  it('stores the set again when the batch that first stored it rolls back', async () => {
    // Both commands join one batch: the ingest is flushed (its set with it), then the other
    // fails, the batch rolls back and each runs again alone (write-queue.ts).
    const [received, failed] = await Promise.allSettled([
      receivedItem(t.store, org, accountId),
      t.store.writes.run(async () => { throw new Error('the batch fails'); }),
    ]);
    expect(failed.status).toBe('rejected');
    if (received.status !== 'fulfilled') throw received.reason;
    const ref = JSON.parse(await storedContext(received.value.id)).rules as string;
    expect(await sql('select ref from item_rules')).toEqual([expect.objectContaining({ ref })]);
    const second = await receivedItem(t.store, org, accountId);
    expect(JSON.parse(await storedContext(second.id)).rules).toBe(ref);
  });

  it('loads the rules in a thread that has not met them: item, list page, list JSON', async () => {
    const items = [await receivedItem(t.store, org, accountId), await receivedItem(t.store, org, accountId)];
    const expected = await listItems(t.store.db, org.id, { now: t0, limit: 50 });
    const expectedJson = await listItemsJson(t.store.db, org.id, { now: t0, limit: 50 });
    vi.resetModules();
    const fresh = await import('../../db/items/items.ts');
    const row = await fresh.findItem(t.store.db, org.id, items[0]!.id);
    expect((row!.context as { rules: unknown }).rules).toEqual(itemV2RulesOf(policyOf(org), 'facebook'));
    expect(await fresh.listItems(t.store.db, org.id, { now: t0, limit: 50 })).toEqual(expected);
    vi.resetModules();
    const again = await import('../../db/items/items.ts');
    expect(await again.listItemsJson(t.store.db, org.id, { now: t0, limit: 50 })).toBe(expectedJson);
    expect(JSON.parse(expectedJson).items.map((view: { id: string }) => view.id).sort()).toEqual(items.map((item) => item.id).sort());
  });
});
