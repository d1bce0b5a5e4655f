// item@2 over the pure stepper: each new guard with its rule id (REFER, own-post checks, CORRECT,
// UP-4's order, prohibited content), the new states' status, and what item@1 does not know.
import { describe, expect, it } from 'vitest';
import type { OutboundChecks } from '../../machines/item.events.ts';
import { itemV2RulesOf, type DecisionV2 } from '../../machines/item.v2.rules.ts';
import {
  itemV2ClientEvents, itemV2Effects, itemV2Machine, itemV2MachineWithoutRules, itemV2Refusal, itemV2Version,
  type Direction, type ItemKind, type ItemV2MachineEvent, type ItemV2Snapshot,
} from '../../machines/item.v2.machine.ts';
import { itemV2HandlingState, itemV2Status } from '../../machines/item.v2.status.ts';
import type { Platform, Policy } from '../../machines/policy/policy.schema.ts';
import { presets, resolvePolicy, type PresetName } from '../../machines/policy/presets.ts';
import { createStepper } from '../../machines/step.ts';

const itemV2Stepper = createStepper({
  machine: itemV2Machine, withoutRules: itemV2MachineWithoutRules, clientEvents: itemV2ClientEvents,
  refusal: itemV2Refusal, effects: itemV2Effects,
});

interface Setup { preset: PresetName; platform?: Platform; kind?: ItemKind; direction?: Direction; policy?: Policy }

function start({ preset, platform = 'facebook', kind = 'comment', direction = 'inbound', policy = presets[preset] }: Setup): ItemV2Snapshot {
  return itemV2Stepper.start({ kind, direction, platform, rules: itemV2RulesOf(policy, platform) });
}

function drive(setup: Setup, steps: readonly ItemV2MachineEvent[]): ItemV2Snapshot {
  let snapshot = start(setup);
  steps.forEach((event, i) => {
    const outcome = itemV2Stepper.step(snapshot, event);
    if (!outcome.ok) throw new Error(`step ${i + 1} ${event.type}: ${outcome.code === 'refused' ? `refused ${outcome.rule}` : 'not_allowed'}: ${outcome.detail}`);
    snapshot = outcome.snapshot;
  });
  return snapshot;
}

/** 'ok', '-' for not_allowed, or the rule id of a refusal. */
function outcomeOf(snapshot: ItemV2Snapshot, event: ItemV2MachineEvent): string {
  const outcome = itemV2Stepper.step(snapshot, event);
  return outcome.ok ? 'ok' : outcome.code === 'refused' ? outcome.rule : '-';
}

const reg = (preset: PresetName) => (preset === 'uppsala' ? 'required' : 'not_required');
const assess = (preset: PresetName, decision: DecisionV2, categories = ['question'], extra: Partial<Extract<ItemV2MachineEvent, { type: 'ASSESS' }>> = {}): ItemV2MachineEvent =>
  ({ type: 'ASSESS', decision, categories, registration: reg(preset), ...extra });

const ev = {
  ANSWER: { type: 'ANSWER' },
  FORWARD: { type: 'FORWARD', to: 'Culture unit' },
  REFER: { type: 'REFER', to: 'Region Uppsala' },
  NOTIFY_AUTHOR: { type: 'NOTIFY_AUTHOR' },
  CAPTURE_EVIDENCE: { type: 'CAPTURE_EVIDENCE' },
  SEND_TO_REGISTRAR: { type: 'SEND_TO_REGISTRAR', reason: 'Personal attack (UP-3)' },
  UNPUBLISH: { type: 'UNPUBLISH', reason: 'Personal attack', categories: ['personal_attack'] },
  CORRECT: { type: 'CORRECT' },
  REGISTER: { type: 'REGISTER', number: 'KS 2026/17' },
  THIN: { type: 'THIN', reason: 'Temporary value' },
} as const satisfies Record<string, ItemV2MachineEvent>;

describe('item@2', () => {
  it('is named item@2 and lists every event but the system-only DEADLINE_BREACHED to clients', () => {
    expect(itemV2Version).toBe('item@2');
    expect(itemV2ClientEvents).toEqual(expect.arrayContaining(['REFER', 'CORRECT', 'SEND_TO_REGISTRAR', 'ASSESS']));
    expect(itemV2ClientEvents).not.toContain('DEADLINE_BREACHED');
  });
});

describe('REFER: a question outside the remit goes to the right authority (TI-6, UP-2)', () => {
  it.each([
    ['assessed to answer', [assess('avesta', 'answer')], 'ok'],
    ['assessed to forward', [assess('avesta', 'forward')], 'ok'],
    ['forwarded', [assess('avesta', 'forward'), ev.FORWARD], 'ok'],
    ['received', [], '-'],
    ['assessed to unpublish', [assess('avesta', 'unpublish', ['personal_attack'])], '-'],
    ['assessed as needing no action', [assess('avesta', 'no_action', ['praise'])], '-'],
    ['answered', [assess('avesta', 'answer'), ev.ANSWER], '-'],
  ] as const)('under avesta, when %s, REFER → %s', (_state, steps, expected) => {
    expect(outcomeOf(drive({ preset: 'avesta' }, steps), ev.REFER)).toBe(expected);
  });

  it('ends handling as referred, shown as answered, meets the answer deadline and lets the item be thinned (AV-14)', () => {
    const steps = [assess('avesta', 'forward'), ev.FORWARD];
    const outcome = itemV2Stepper.step(drive({ preset: 'avesta' }, steps), ev.REFER);
    expect(outcome.ok && outcome.effects).toEqual([{ type: 'deadline', kind: 'answer', change: 'meet' }]);
    const referred = drive({ preset: 'avesta' }, [...steps, ev.REFER]);
    expect(itemV2HandlingState(referred)).toBe('referred');
    expect(referred.context.referredTo).toBe('Region Uppsala');
    expect(itemV2Status(referred)).toBe('answered');
    expect(outcomeOf(referred, ev.THIN)).toBe('ok');
  });
});

// ---------------------------------------------------------------------------------------------
// Own posts: the checks of ASSESS (AV-4, LI-1, LI-6, UP-7)

const clean: OutboundChecks = {
  personalIdentityNumbers: false, offenceData: false, sensitiveData: false, linkToSite: true,
  imagesOfPeople: false, clientRelationship: false, language: 'sv',
};
const at = '2026-11-24T10:00:00.000Z'; // a Tuesday; the local date in Stockholm is 2026-11-24
const own = (preset: PresetName, checks: Partial<OutboundChecks> | null, extra: { at?: string; decision?: DecisionV2 } = { at }) =>
  assess(preset, extra.decision ?? 'no_action', ['praise'], { ...(checks ? { checks: { ...clean, ...checks } } : {}), ...(extra.at ? { at: extra.at } : {}) });
const outbound = (preset: PresetName): Setup => ({ preset, kind: 'post', direction: 'outbound' });

describe('checks of an own post at ASSESS', () => {
  it.each([
    ['avesta', 'clean', {}, 'ok'],
    ['avesta', 'with personal identity numbers', { personalIdentityNumbers: true }, 'AV-4'],
    ['avesta', 'with data about offences', { offenceData: true }, 'AV-4'],
    ['avesta', 'with sensitive data and no consent', { sensitiveData: true }, 'AV-4'],
    ['avesta', 'with sensitive data and a consent reference', { sensitiveData: true, consentRef: 'Consent 2026/4' }, 'ok'],
    ['avesta', 'without a link to the site (LI-1 is not Avesta\'s)', { linkToSite: false }, 'ok'],
    ['lillesand', 'without a link to the site', { linkToSite: false }, 'LI-1'],
    ['lillesand', 'with images of people and no consent', { imagesOfPeople: true }, 'LI-6'],
    ['lillesand', 'with images of people and a consent reference', { imagesOfPeople: true, consentRef: 'Samtykke 12' }, 'ok'],
    ['lillesand', 'revealing a client relationship', { clientRelationship: true, consentRef: 'Samtykke 12' }, 'LI-6'],
    ['lillesand', 'with personal identity numbers (AV-4 is not Lillesand\'s)', { personalIdentityNumbers: true }, 'ok'],
    ['tibro', 'with images of people and no consent (chosen: TI-15)', { imagesOfPeople: true }, 'TI-15'],
    ['tibro', 'with sensitive data and no consent (chosen: TI-15)', { sensitiveData: true }, 'TI-15'],
    ['uppsala', 'in Swedish', {}, 'ok'],
    ['uppsala', 'in English', { language: 'en' }, 'ok'],
    ['uppsala', 'without a language', { language: undefined }, 'UP-7'],
    ['uppsala', 'in Arabic without cover', { language: 'ar' }, 'UP-7'],
    ['uppsala', 'in Arabic with cover for six days', { language: 'ar', languageCover: { name: 'Amal Haddad', until: '2026-11-30' } }, 'UP-7'],
    ['uppsala', 'in Arabic with cover for seven days', { language: 'ar', languageCover: { name: 'Amal Haddad', until: '2026-12-01' } }, 'ok'],
  ] as const)('under %s, ASSESS of an own post %s → %s', (preset, _what, checks, expected) => {
    expect(outcomeOf(drive(outbound(preset), []), own(preset, checks))).toBe(expected);
  });

  it('counts UP-7\'s week from the local date in Stockholm of the instant ASSESS carries', () => {
    const cover = { language: 'so', languageCover: { name: 'Ali Warsame', until: '2026-12-01' } };
    // 23:30 UTC on 24 November is already 25 November in Stockholm: seven days then end on 2 December.
    expect(outcomeOf(drive(outbound('uppsala'), []), own('uppsala', cover, { at: '2026-11-24T23:30:00.000Z' }))).toBe('UP-7');
    expect(outcomeOf(drive(outbound('uppsala'), []), own('uppsala', cover, { at: '2026-11-24T22:30:00.000Z' }))).toBe('ok');
    expect(itemV2Stepper.step(drive(outbound('uppsala'), []), own('uppsala', cover, {}))).toMatchObject({
      ok: false, code: 'refused', rule: 'UP-7', detail: expect.stringContaining('instant'),
    });
  });

  it.each([['avesta', 'AV-4'], ['lillesand', 'LI-1'], ['tibro', 'TI-15'], ['uppsala', 'UP-7']] as const)(
    'refuses ASSESS of an own post without checks under %s with %s, its first check',
    (preset, rule) => {
      expect(itemV2Stepper.step(drive(outbound(preset), []), own(preset, null))).toMatchObject({ ok: false, code: 'refused', rule });
    },
  );

  it('accepts an own post without checks under a policy that checks nothing on own posts', () => {
    const policy = resolvePolicy('tibro', { outbound: { personalDataRule: null, consentRule: null } });
    expect(policy.success).toBe(true);
    if (policy.success) expect(outcomeOf(drive({ ...outbound('tibro'), policy: policy.data }, []), own('tibro', null))).toBe('ok');
  });

  it('lets an own post that fails its checks be assessed to be unpublished: taking it down puts it right (AV-4)', () => {
    expect(outcomeOf(drive(outbound('avesta'), []), own('avesta', { personalIdentityNumbers: true }, { at, decision: 'unpublish' }))).toBe('ok');
  });

  it('does not take checks on an inbound item (they describe own posts), and lists ASSESS all the same', () => {
    const inbound = drive({ preset: 'avesta' }, []);
    expect(outcomeOf(inbound, own('avesta', {}))).toBe('-');
    expect(itemV2Stepper.allowed(inbound)).toContain('ASSESS');
    expect(itemV2Stepper.allowed(drive(outbound('avesta'), []))).toContain('ASSESS');
  });

  it('records the checks in the context', () => {
    const checked = drive(outbound('lillesand'), [own('lillesand', { imagesOfPeople: true, consentRef: 'Samtykke 12' })]);
    expect(checked.context.checks).toEqual({ ...clean, imagesOfPeople: true, consentRef: 'Samtykke 12' });
    expect(itemV2HandlingState(checked)).toBe('no_action');
  });
});

describe('CORRECT: a factual error corrected in the own post (TI-7, LI-2)', () => {
  it.each([
    ['received', [], 'ok'],
    ['assessed as needing no action', [own('tibro', {})], 'ok'],
    ['unpublished', [own('tibro', {}, { at, decision: 'unpublish' }), ev.CAPTURE_EVIDENCE, ev.REGISTER, ev.UNPUBLISH], '-'],
    ['thinned', [own('tibro', {}), ev.THIN], '-'],
  ] as const)('under tibro, an own post %s: CORRECT → %s', (_state, steps, expected) => {
    expect(outcomeOf(drive(outbound('tibro'), steps), ev.CORRECT)).toBe(expected);
  });

  it('is not for inbound items, and counts the corrections of an own post', () => {
    expect(outcomeOf(drive({ preset: 'tibro' }, []), ev.CORRECT)).toBe('-');
    expect(drive(outbound('tibro'), [ev.CORRECT, own('tibro', {}), ev.CORRECT]).context.corrections).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// UP-4: notify the author, capture evidence, send it to the registrar, remove

const removal = (preset: PresetName) => assess(preset, 'unpublish', ['personal_attack']);

describe('the steps of a removal in order under uppsala (UP-4)', () => {
  const a = removal('uppsala');
  it.each([
    ['nothing done', [a], ['UP-4', 'UP-4', 'UP-4', 'ok']],
    ['the author notified', [a, ev.NOTIFY_AUTHOR], ['ok', 'UP-4', 'UP-4', 'ok']],
    ['notified and evidence captured', [a, ev.NOTIFY_AUTHOR, ev.CAPTURE_EVIDENCE], ['ok', 'ok', 'UP-4', 'ok']],
    ['notified, captured and sent to the registrar', [a, ev.NOTIFY_AUTHOR, ev.CAPTURE_EVIDENCE, ev.SEND_TO_REGISTRAR], ['ok', 'ok', 'ok', 'ok']],
  ] as const)('with %s: CAPTURE_EVIDENCE, SEND_TO_REGISTRAR, UNPUBLISH, NOTIFY_AUTHOR → %j', (_what, steps, expected) => {
    const snapshot = drive({ preset: 'uppsala' }, steps);
    expect([ev.CAPTURE_EVIDENCE, ev.SEND_TO_REGISTRAR, ev.UNPUBLISH, ev.NOTIFY_AUTHOR].map((event) => outcomeOf(snapshot, event))).toEqual(expected);
  });

  it('names the missing step in each refusal', () => {
    const detail = (steps: ItemV2MachineEvent[], event: ItemV2MachineEvent) => {
      const outcome = itemV2Stepper.step(drive({ preset: 'uppsala' }, steps), event);
      return outcome.ok ? '' : outcome.detail;
    };
    expect(detail([a], ev.CAPTURE_EVIDENCE)).toContain('NOTIFY_AUTHOR');
    expect(detail([a, ev.NOTIFY_AUTHOR], ev.SEND_TO_REGISTRAR)).toContain('CAPTURE_EVIDENCE');
    expect(detail([a, ev.NOTIFY_AUTHOR, ev.CAPTURE_EVIDENCE], ev.UNPUBLISH)).toContain('SEND_TO_REGISTRAR');
  });

  it('records the reason sent to the registrar and removes the item', () => {
    const removed = drive({ preset: 'uppsala' }, [a, ev.NOTIFY_AUTHOR, ev.CAPTURE_EVIDENCE, ev.SEND_TO_REGISTRAR, ev.UNPUBLISH]);
    expect(removed.context.sentToRegistrar).toEqual({ reason: 'Personal attack (UP-3)' });
    expect(itemV2Status(removed)).toBe('unpublished');
  });

  it('skips the message where the platform cannot message the author (UP-4: "where the platform allows")', () => {
    expect(() => drive({ preset: 'uppsala', platform: 'other' }, [a, ev.CAPTURE_EVIDENCE, ev.SEND_TO_REGISTRAR, ev.UNPUBLISH])).not.toThrow();
  });

  it('keeps SEND_TO_REGISTRAR optional elsewhere, but never before the evidence it sends (AV-7, TI-14)', () => {
    expect(() => drive({ preset: 'avesta' }, [removal('avesta'), ev.CAPTURE_EVIDENCE, ev.UNPUBLISH, ev.SEND_TO_REGISTRAR])).not.toThrow();
    expect(outcomeOf(drive({ preset: 'avesta' }, [removal('avesta')]), ev.SEND_TO_REGISTRAR)).toBe('AV-7');
    expect(outcomeOf(drive({ preset: 'tibro' }, [removal('tibro'), ev.CAPTURE_EVIDENCE]), ev.UNPUBLISH)).toBe('TI-14');
    expect(outcomeOf(drive({ preset: 'avesta' }, [assess('avesta', 'answer')]), ev.SEND_TO_REGISTRAR)).toBe('-');
  });
});

// ---------------------------------------------------------------------------------------------
// Prohibited content (AV-9, LI-3, TI-15, UP-3)

describe('prohibited content leaves the channel in the way the platform allows', () => {
  const cases = [['avesta', 'AV-9'], ['lillesand', 'LI-3'], ['tibro', 'TI-15'], ['uppsala', 'UP-3']] as const;

  it.each(cases)('under %s on facebook, an item in a prohibited category is unpublished; another decision is refused with %s', (preset, rule) => {
    const received = drive({ preset }, []);
    expect(outcomeOf(received, assess(preset, 'answer', ['personal_attack']))).toBe(rule);
    expect(outcomeOf(received, assess(preset, 'no_action', ['personal_attack']))).toBe(rule);
    expect(outcomeOf(received, assess(preset, 'unpublish', ['personal_attack']))).toBe('ok');
    expect(outcomeOf(received, assess(preset, 'hide', ['personal_attack']))).toBe('UP-4');
  });

  it.each(cases)('under %s on x, which cannot remove, it is hidden or reported; answering is refused with %s', (preset, rule) => {
    const received = drive({ preset, platform: 'x' }, []);
    expect(outcomeOf(received, assess(preset, 'answer', ['personal_attack']))).toBe(rule);
    expect(outcomeOf(received, assess(preset, 'unpublish', ['personal_attack']))).toBe('UP-4');
    expect(outcomeOf(received, assess(preset, 'hide', ['personal_attack']))).toBe('ok');
    expect(outcomeOf(received, assess(preset, 'report', ['personal_attack']))).toBe('ok');
  });

  it('refuses hiding where the platform can neither remove nor hide (UP-4), and reports instead', () => {
    const policy = resolvePolicy('avesta', { platforms: { x: { canRemove: false, canHide: false, canMessage: false } } });
    expect(policy.success).toBe(true);
    if (!policy.success) return;
    const received = drive({ preset: 'avesta', platform: 'x', policy: policy.data }, []);
    expect(outcomeOf(received, assess('avesta', 'hide', ['personal_attack']))).toBe('UP-4');
    expect(outcomeOf(received, assess('avesta', 'report', ['personal_attack']))).toBe('ok');
  });

  it.each([
    ['hide', 'hidden', 'unpublished'],
    ['report', 'reported', 'assessed'],
  ] as const)('records %s as the handling state %s, shown as %s, done for thinning, with the removal settled', (decision, state, status) => {
    const step = itemV2Stepper.step(drive({ preset: 'avesta', platform: 'x' }, []), assess('avesta', decision, ['personal_attack']));
    expect(step.ok && step.effects).toEqual([
      { type: 'deadline', kind: 'assess', change: 'meet' },
      { type: 'deadline', kind: 'answer', change: 'cancel' },
      { type: 'deadline', kind: 'remove', change: 'meet' },
    ]);
    const done = drive({ preset: 'avesta', platform: 'x' }, [assess('avesta', decision, ['personal_attack'])]);
    expect(itemV2HandlingState(done)).toBe(state);
    expect(done.context.decision).toBe(decision);
    expect(itemV2Status(done)).toBe(status);
    expect(outcomeOf(done, ev.CAPTURE_EVIDENCE)).toBe('ok');
    expect(outcomeOf(done, ev.THIN)).toBe('ok');
  });
});

describe('THIN by the registrar', () => {
  it.each([['avesta', 'AV-14'], ['lillesand', 'LI-4'], ['tibro', 'TI-13']] as const)(
    'under %s, cancels the deadlines, erases the content and records a thinning decision under %s',
    (preset, rule) => {
      const step = itemV2Stepper.step(drive({ preset }, [assess(preset, 'answer'), ev.ANSWER]), ev.THIN);
      expect(step.ok && step.effects).toEqual([
        { type: 'deadline', kind: 'assess', change: 'cancel' },
        { type: 'deadline', kind: 'answer', change: 'cancel' },
        { type: 'deadline', kind: 'remove', change: 'cancel' },
        { type: 'erase-content', reason: 'Temporary value' },
        { type: 'thinning-decision', rule, reason: 'Temporary value' },
      ]);
    },
  );
});
