// The effects of item@1 and item@2 steps as data, and the event tables of item.events.ts: item@1
// keeps exactly the events it knew; item@2's new ones have their roles and personal fields.
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../machines/effects.ts';
import {
  itemEventSchemas, itemEventRoles, itemEventTypes, itemV1ClientEvents, itemV2ClientEvents, itemV2EventSchemas,
  itemV2EventTypes, maySend, personalFields, systemOnlyEvents,
} from '../../machines/item.events.ts';
import { itemRulesOf } from '../../machines/item.rules.ts';
import { itemV1Effects, itemV1ReceiptEffects } from '../../machines/item.v1.effects.ts';
import type { ItemMachineEvent } from '../../machines/item.v1.machine.ts';
import { itemV2Effects, itemV2ReceiptEffects, itemV2RulesOf, type ItemV2MachineEvent } from '../../machines/item.v2.machine.ts';
import { itemStepper, startItem } from '../../machines/item.step.ts';
import { presets } from '../../machines/policy/presets.ts';

const v1 = { context: startItem({ kind: 'comment', direction: 'inbound', platform: 'facebook', rules: itemRulesOf(presets.tibro, 'facebook') }).context };
const v2 = { context: { ...v1.context, rules: itemV2RulesOf(presets.tibro, 'facebook') } } as unknown as Parameters<typeof itemV2Effects>[1];

const deadline = (kind: string, change: string) => ({ type: 'deadline', kind, change }) as Effect;
const assess = (decision: string) => ({ type: 'ASSESS', decision, categories: ['question'], registration: 'not_required' });

/** Events item@1 and item@2 share, with the effects both give. */
const shared: Array<[string, Record<string, unknown>, Effect[]]> = [
  ['ASSESS to answer', assess('answer'), [deadline('assess', 'meet'), deadline('answer', 'open'), deadline('remove', 'cancel')]],
  ['ASSESS to forward', assess('forward'), [deadline('assess', 'meet'), deadline('answer', 'open'), deadline('remove', 'cancel')]],
  ['ASSESS to unpublish', assess('unpublish'), [deadline('assess', 'meet'), deadline('answer', 'cancel'), deadline('remove', 'open')]],
  ['ASSESS to no action', assess('no_action'), [deadline('assess', 'meet'), deadline('answer', 'cancel'), deadline('remove', 'cancel')]],
  ['ANSWER', { type: 'ANSWER' }, [deadline('answer', 'meet')]],
  ['UNPUBLISH', { type: 'UNPUBLISH', reason: 'x', categories: ['spam'] }, [deadline('remove', 'meet')]],
  ['DEADLINE_BREACHED', { type: 'DEADLINE_BREACHED', deadline: 'answer', dueAt: '2026-11-24T23:00:00.000Z' }, [deadline('answer', 'breach')]],
  ['DEADLINE_BREACHED of an unknown kind', { type: 'DEADLINE_BREACHED', deadline: 'lunch', dueAt: '2026-11-24T23:00:00.000Z' }, []],
  ['CAPTURE_EVIDENCE without a digest (AV-7)', { type: 'CAPTURE_EVIDENCE' }, [{ type: 'capture-evidence' }]],
  ['CAPTURE_EVIDENCE with a digest', { type: 'CAPTURE_EVIDENCE', evidenceSha256: 'a'.repeat(64) }, []],
  ['THIN (TI-13)', { type: 'THIN', reason: 'Temporary' }, [
    deadline('assess', 'cancel'), deadline('answer', 'cancel'), deadline('remove', 'cancel'),
    { type: 'erase-content', reason: 'Temporary' }, { type: 'thinning-decision', rule: 'TI-13', reason: 'Temporary' },
  ]],
  ['REGISTER', { type: 'REGISTER', number: 'KS 1' }, []],
  ['HOLD', { type: 'HOLD', reason: 'Audit' }, []],
];

describe('effects of a step', () => {
  it.each(shared)('item@1: %s', (_name, event, effects) => {
    expect(itemV1Effects(event as ItemMachineEvent, v1, v1)).toEqual(effects);
  });

  it.each(shared)('item@2 gives the same as item@1: %s', (_name, event, effects) => {
    expect(itemV2Effects(event as ItemV2MachineEvent, v2, v2)).toEqual(effects);
  });

  it.each([
    ['REFER meets the answer deadline (TI-6)', { type: 'REFER', to: 'Skatteverket' }, [deadline('answer', 'meet')]],
    ['ASSESS to hide settles the removal', assess('hide'), [deadline('assess', 'meet'), deadline('answer', 'cancel'), deadline('remove', 'meet')]],
    ['ASSESS to report settles the removal', assess('report'), [deadline('assess', 'meet'), deadline('answer', 'cancel'), deadline('remove', 'meet')]],
    ['SEND_TO_REGISTRAR', { type: 'SEND_TO_REGISTRAR', reason: 'UP-3' }, []],
    ['CORRECT', { type: 'CORRECT' }, []],
  ] as const)('item@2: %s', (_name, event, effects) => {
    expect(itemV2Effects(event as ItemV2MachineEvent, v2, v2)).toEqual(effects);
  });

  it('opens the assess deadline at receipt of an inbound item only (AV-6, TI-2), in both versions', () => {
    for (const receipt of [itemV1ReceiptEffects, itemV2ReceiptEffects]) {
      expect(receipt({ direction: 'inbound' })).toEqual([deadline('assess', 'open')]);
      expect(receipt({ direction: 'outbound' })).toEqual([]);
    }
  });
});

describe('item events', () => {
  it('keeps item@1\'s thirteen events and its ASSESS unchanged: no hide, report or checks', () => {
    expect(itemEventTypes).toHaveLength(13);
    expect(itemEventTypes).not.toEqual(expect.arrayContaining(['REFER']));
    const base = { type: 'ASSESS', categories: [], registration: 'not_required' };
    expect(itemEventSchemas.ASSESS.safeParse({ ...base, decision: 'hide' }).success).toBe(false);
    expect(itemEventSchemas.ASSESS.safeParse({ ...base, decision: 'answer', checks: {} }).success).toBe(false);
  });

  it('gives item@2 three new events and an ASSESS with hide, report and checks, but no client-given instant', () => {
    expect(itemV2EventTypes.filter((type) => !itemEventTypes.includes(type as never))).toEqual(['REFER', 'CORRECT', 'SEND_TO_REGISTRAR']);
    const base = { type: 'ASSESS', categories: ['praise'], registration: 'required' };
    const checks = { personalIdentityNumbers: false, offenceData: false, sensitiveData: false, linkToSite: true, imagesOfPeople: false, clientRelationship: false, language: 'ar', languageCover: { name: 'Amal Haddad', until: '2026-12-01' } };
    expect(itemV2EventSchemas.ASSESS.safeParse({ ...base, decision: 'report' }).success).toBe(true);
    expect(itemV2EventSchemas.ASSESS.safeParse({ ...base, decision: 'no_action', checks }).success).toBe(true);
    expect(itemV2EventSchemas.ASSESS.safeParse({ ...base, decision: 'no_action', checks: { ...checks, languageCover: { name: 'A', until: '1 Dec' } } }).success).toBe(false);
    expect(itemV2EventSchemas.ASSESS.safeParse({ ...base, decision: 'no_action', at: '2026-11-24T10:00:00.000Z' }).success).toBe(false);
    expect(itemV2EventSchemas.REFER.safeParse({ type: 'REFER', to: 'Skatteverket' }).success).toBe(true);
    expect(itemV2EventSchemas.CORRECT.safeParse({ type: 'CORRECT', text: 'Opening hours are 8–16', note: 'Wrong hours' }).success).toBe(true);
    expect(itemV2EventSchemas.SEND_TO_REGISTRAR.safeParse({ type: 'SEND_TO_REGISTRAR' }).success).toBe(false);
  });

  it('lets officers send REFER, CORRECT and SEND_TO_REGISTRAR; only the system sends DEADLINE_BREACHED', () => {
    for (const type of ['REFER', 'CORRECT', 'SEND_TO_REGISTRAR'] as const) expect(itemEventRoles[type]).toEqual(['officer']);
    expect(systemOnlyEvents).toEqual(['DEADLINE_BREACHED']);
    expect(maySend('officer', 'DEADLINE_BREACHED')).toBe(false);
    expect(itemV1ClientEvents).toHaveLength(12);
    expect(itemV2ClientEvents).toHaveLength(15);
  });

  it('keeps the corrected text and its note apart from the ledger; a referral and a registrar\'s reason stay in it', () => {
    expect(personalFields.CORRECT).toEqual(['text', 'note']);
    expect(personalFields.REFER).toBeUndefined();
    expect(personalFields.SEND_TO_REGISTRAR).toBeUndefined();
  });

  it('leaves item@1 unaware of item@2\'s events: not allowed, and never listed', () => {
    const assessed = itemStepper.step(itemStepper.start(v1.context), assess('answer') as ItemMachineEvent);
    expect(assessed.ok).toBe(true);
    if (!assessed.ok) return;
    for (const type of ['REFER', 'CORRECT', 'SEND_TO_REGISTRAR']) {
      expect(itemStepper.step(assessed.snapshot, { type, to: 'x', reason: 'y' } as never)).toMatchObject({ ok: false, code: 'not_allowed' });
    }
    expect(itemStepper.allowed(assessed.snapshot)).toEqual(['ASSESS', 'ACKNOWLEDGE', 'ANSWER', 'FORWARD', 'CAPTURE_EVIDENCE', 'REGISTER', 'HOLD']);
  });
});
