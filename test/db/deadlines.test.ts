// Deadline rows per preset: which deadlines an item gets, when they fall due, and how events
// meet or cancel them (AV-6, TI-2, TI-6, TI-14; the presets' chosen defaults).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import type { PresetName } from '../../machines/policy/presets.ts';
import { activeAccount, officer, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

// Received Monday 23 November 2026, 10:00 local (CET in both Stockholm and Oslo).
const endOfTuesday = '2026-11-24T23:00:00.000Z';
const endOfWednesday = '2026-11-25T23:00:00.000Z';
const wednesdayTen = '2026-11-25T09:00:00.000Z';

describe('deadline rows per preset', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(() => t.cleanup());

  async function itemUnder(preset: PresetName, overrides = {}) {
    const org = await organisation(t.store, preset);
    const account = await activeAccount(t.store, org);
    const item = await receivedItem(t.store, org, account.id, overrides);
    const step = async (event: ItemEventBody) => {
      const result = await applyItemEvent(t.store, { orgId: org.id, itemId: item.id, actor: officer, ifMatch: null, idempotency: null, now: t0, event });
      if (!result.ok) throw new Error(result.detail);
      return result.item;
    };
    return { item, step };
  }
  const assess = (decision: 'answer' | 'forward' | 'unpublish', registration: 'required' | 'not_required' = 'required'): ItemEventBody =>
    ({ type: 'ASSESS', decision, categories: decision === 'unpublish' ? ['harassment'] : ['question'], registration });

  it.each([
    ['avesta', endOfTuesday, endOfTuesday],
    ['lillesand', endOfWednesday, endOfTuesday],
    ['tibro', wednesdayTen, wednesdayTen],
    ['uppsala', endOfTuesday, endOfTuesday],
  ] as Array<[PresetName, string, string]>)('under %s: assess by the end of Tuesday, answer by %s, remove by %s', async (preset, answerDue, removeDue) => {
    const first = await itemUnder(preset);
    expect(first.item.deadlines).toEqual([{ kind: 'assess', dueAt: endOfTuesday, status: 'open' }]);
    const answering = await first.step(assess('answer'));
    expect(answering.deadlines).toEqual(expect.arrayContaining([
      { kind: 'assess', dueAt: endOfTuesday, status: 'met' },
      { kind: 'answer', dueAt: answerDue, status: 'open' },
    ]));
    const removing = await first.step(assess('unpublish'));
    expect(removing.deadlines).toEqual(expect.arrayContaining([
      { kind: 'answer', dueAt: answerDue, status: 'cancelled' },
      { kind: 'remove', dueAt: removeDue, status: 'open' },
    ]));
  });

  it('gives an outbound item no assessment deadline', async () => {
    const { item } = await itemUnder('tibro', { direction: 'outbound', kind: 'post' });
    expect(item.deadlines).toEqual([]);
  });

  it('keeps the answer deadline of a forwarded item, met when the receiving unit answers (TI-6)', async () => {
    const { step } = await itemUnder('tibro');
    await step(assess('forward', 'not_required'));
    const forwarded = await step({ type: 'FORWARD', to: 'Technical services' });
    expect(forwarded.deadlines).toContainEqual({ kind: 'answer', dueAt: wednesdayTen, status: 'open' });
    const answered = await step({ type: 'ANSWER', text: 'Fixed on Tuesday.' });
    expect(answered.deadlines).toContainEqual({ kind: 'answer', dueAt: wednesdayTen, status: 'met' });
  });

  it('meets the removal deadline with UNPUBLISH (TI-14)', async () => {
    const { step } = await itemUnder('avesta');
    await step(assess('unpublish', 'not_required'));
    await step({ type: 'CAPTURE_EVIDENCE' });
    const removed = await step({ type: 'UNPUBLISH', reason: 'Harassment', categories: ['harassment'] });
    expect(removed.deadlines).toContainEqual({ kind: 'remove', dueAt: endOfTuesday, status: 'met' });
  });
});
