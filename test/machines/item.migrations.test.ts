// Moving item@1 items to item@2: every item@1 state under every preset moves to the same state,
// resolves in item@2, and continues to the end; snapshots that cannot move safely are refused.
import { describe, expect, it } from 'vitest';
import type { Decision, Registration } from '../../machines/item.rules.ts';
import { itemRulesOf } from '../../machines/item.rules.ts';
import { itemStepper, startItem, stepItem, type ItemSnapshot } from '../../machines/item.step.ts';
import type { ItemMachineEvent } from '../../machines/item.v1.machine.ts';
import { migrateItemV1ToV2 } from '../../machines/item.migrations.ts';
import {
  itemV2ClientEvents, itemV2Effects, itemV2Machine, itemV2MachineWithoutRules, itemV2Refusal, itemV2RulesOf,
  type ItemV2MachineEvent, type ItemV2Snapshot,
} from '../../machines/item.v2.machine.ts';
import { isItemV2HandlingDone, itemV2Status } from '../../machines/item.v2.status.ts';
import type { Platform } from '../../machines/policy/policy.schema.ts';
import { presetNames, presets, type PresetName } from '../../machines/policy/presets.ts';
import { createStepper } from '../../machines/step.ts';

const v2 = createStepper({
  machine: itemV2Machine, withoutRules: itemV2MachineWithoutRules, clientEvents: itemV2ClientEvents,
  refusal: itemV2Refusal, effects: itemV2Effects,
});

const ev = {
  ANSWER: { type: 'ANSWER' }, FORWARD: { type: 'FORWARD', to: 'Culture unit' }, NOTIFY_AUTHOR: { type: 'NOTIFY_AUTHOR' },
  CAPTURE_EVIDENCE: { type: 'CAPTURE_EVIDENCE' }, UNPUBLISH: { type: 'UNPUBLISH', reason: 'Personal attack', categories: ['personal_attack'] },
  REGISTER: { type: 'REGISTER', number: 'KS 2026/17' }, HOLD: { type: 'HOLD', reason: 'Access request' },
  RELEASE_HOLD: { type: 'RELEASE_HOLD', reason: 'Done' }, THIN: { type: 'THIN', reason: 'Temporary value' },
} satisfies Record<string, ItemMachineEvent>;
const ev2 = {
  SEND_TO_REGISTRAR: { type: 'SEND_TO_REGISTRAR', reason: 'Personal attack' }, REFER: { type: 'REFER', to: 'Skatteverket' },
} satisfies Record<string, ItemV2MachineEvent>;

const registrationUnder = (preset: PresetName): Registration => (preset === 'uppsala' ? 'required' : 'not_required');
const categoriesOf: Record<Decision, string[]> = { answer: ['question'], forward: ['question'], unpublish: ['personal_attack'], no_action: ['praise'] };
const a = (preset: PresetName, decision: Decision): ItemMachineEvent =>
  ({ type: 'ASSESS', decision, categories: categoriesOf[decision], registration: registrationUnder(preset) });
const removalSteps = (preset: PresetName): ItemMachineEvent[] =>
  preset === 'uppsala' ? [ev.NOTIFY_AUTHOR, ev.CAPTURE_EVIDENCE] : [ev.CAPTURE_EVIDENCE];

/** item@1's state catalog (as item.machine.test.ts): how each state is reached from receipt. */
function recipes(preset: PresetName): Record<string, ItemMachineEvent[]> {
  const r = removalSteps(preset);
  return {
    'received/open': [], 'received/open+hold': [ev.HOLD], 'received/registered': [ev.REGISTER],
    'assessed(answer)/open': [a(preset, 'answer')], 'assessed(answer)/registered': [a(preset, 'answer'), ev.REGISTER],
    'assessed(forward)/open': [a(preset, 'forward')], 'assessed(forward)/registered': [a(preset, 'forward'), ev.REGISTER],
    'assessed(unpublish)/open': [a(preset, 'unpublish')], 'assessed(unpublish)/registered': [a(preset, 'unpublish'), ev.REGISTER],
    'assessed(unpublish)+ready/open': [a(preset, 'unpublish'), ...r],
    'assessed(unpublish)+ready/registered': [a(preset, 'unpublish'), ...r, ev.REGISTER],
    'forwarded/open': [a(preset, 'forward'), ev.FORWARD], 'forwarded/registered': [a(preset, 'forward'), ev.FORWARD, ev.REGISTER],
    'answered/open': [a(preset, 'answer'), ev.ANSWER], 'answered/open+hold': [a(preset, 'answer'), ev.ANSWER, ev.HOLD],
    'answered/registered': [a(preset, 'answer'), ev.ANSWER, ev.REGISTER], 'answered/thinned': [a(preset, 'answer'), ev.ANSWER, ev.THIN],
    'unpublished/open': [a(preset, 'unpublish'), ...r, ev.UNPUBLISH], 'unpublished/registered': [a(preset, 'unpublish'), ...r, ev.REGISTER, ev.UNPUBLISH],
    'unpublished/thinned': [a(preset, 'unpublish'), ...r, ev.UNPUBLISH, ev.THIN],
    'no_action/open': [a(preset, 'no_action')], 'no_action/registered': [a(preset, 'no_action'), ev.REGISTER],
    'no_action/thinned': [a(preset, 'no_action'), ev.THIN],
  };
}

function driveV1(preset: PresetName, steps: readonly ItemMachineEvent[], platform: Platform = 'facebook'): ItemSnapshot | null {
  let snapshot = startItem({ kind: 'comment', direction: 'inbound', platform, rules: itemRulesOf(presets[preset], platform) });
  for (const event of steps) {
    const outcome = stepItem(snapshot, event);
    if (!outcome.ok) return null; // a state item@1 cannot reach under this preset (see item.machine.test.ts)
    snapshot = outcome.snapshot;
  }
  return snapshot;
}

/** The steps item@2 asks for to finish handling and close the records, read from where the item stands. */
function finish(snapshot: ItemV2Snapshot): ItemV2MachineEvent[] {
  const { handling, records } = snapshot.value as { handling: string; records: string };
  const c = snapshot.context;
  const steps: ItemV2MachineEvent[] = [];
  if (handling === 'received') steps.push({ type: 'ASSESS', decision: 'answer', categories: ['question'], registration: c.registration ?? 'required' }, ev.ANSWER);
  if (handling === 'assessed' && c.decision === 'answer') steps.push(ev.ANSWER);
  if (handling === 'assessed' && c.decision === 'forward') steps.push(ev.FORWARD, ev2.REFER);
  if (handling === 'forwarded') steps.push(ev2.REFER);
  if (handling === 'assessed' && c.decision === 'unpublish') {
    const { rules } = c;
    if (rules.notifyAuthorFirst && rules.canMessage && !c.authorNotified) steps.push(ev.NOTIFY_AUTHOR);
    steps.push(ev.CAPTURE_EVIDENCE);
    if (rules.sendToRegistrarFirst) steps.push(ev2.SEND_TO_REGISTRAR);
    if (rules.registerFirst && records === 'open') steps.push(ev.REGISTER);
    steps.push(ev.UNPUBLISH);
  }
  if (c.hold) steps.push(ev.RELEASE_HOLD);
  const registeredOnTheWay = steps.includes(ev.REGISTER);
  if (records === 'open' && !registeredOnTheWay) steps.push(ev.REGISTER);
  return steps;
}

const cases = presetNames.flatMap((preset) =>
  Object.entries(recipes(preset)).flatMap(([state, steps]) => {
    const snapshot = driveV1(preset, steps);
    return snapshot ? [[preset, state, snapshot] as const] : [];
  }),
);

describe('migrateItemV1ToV2', () => {
  it('covers every item@1 handling and records state', () => {
    const seen = new Set(cases.map(([, , s]) => JSON.stringify(s.value)));
    for (const handling of ['received', 'assessed', 'forwarded', 'answered', 'unpublished', 'no_action']) {
      for (const records of ['open', 'registered', 'thinned']) {
        if (records === 'thinned' && ['received', 'assessed', 'forwarded'].includes(handling)) continue; // THIN needs handling done
        expect(seen, `${handling}/${records}`).toContain(JSON.stringify({ handling, records }));
      }
    }
  });

  it.each(cases)('under %s, moves %s to the same state, keeps item@1\'s context and frozen rules, and resolves in item@2', (preset, _state, snapshot) => {
    const stored = JSON.parse(JSON.stringify({ value: snapshot.value, context: snapshot.context })) as { value: unknown; context: Record<string, unknown> };
    const moved = migrateItemV1ToV2(stored, itemV2RulesOf(presets[preset], 'facebook'));
    expect(moved.ok).toBe(true);
    if (!moved.ok) return;
    expect(moved.value).toEqual(stored.value);
    expect(moved.context).toMatchObject({ ...stored.context, rules: stored.context.rules, referredTo: null, sentToRegistrar: null, checks: null, corrections: 0 });
    expect(moved.context.rules.prohibitedRule).toBe(presets[preset].categories.rule);
    const resolved = itemV2Machine.resolveState({ value: moved.value, context: moved.context });
    expect(resolved.value).toEqual(stored.value);
    expect(v2.restore(moved)).toMatchObject({ value: stored.value });
    expect(stored.context.decision).toBe(snapshot.context.decision); // the stored input is not changed
  });

  it.each(cases)('under %s, an item moved from %s continues under item@2 to the end', (preset, _state, snapshot) => {
    const moved = migrateItemV1ToV2({ value: snapshot.value, context: snapshot.context }, itemV2RulesOf(presets[preset], 'facebook'));
    if (!moved.ok) throw new Error(moved.reason);
    let current = v2.restore(moved);
    for (const event of finish(current)) {
      const outcome = v2.step(current, event);
      if (!outcome.ok) throw new Error(`${event.type}: ${outcome.code === 'refused' ? outcome.rule : 'not_allowed'}: ${outcome.detail}`);
      current = outcome.snapshot;
    }
    expect(isItemV2HandlingDone(current)).toBe(true);
    expect(['registered', 'thinned']).toContain(itemV2Status(current));
  });

  it('asks an item caught mid-removal under uppsala for the registrar step item@1 did not know (UP-4)', () => {
    const ready = driveV1('uppsala', recipes('uppsala')['assessed(unpublish)+ready/open']!)!;
    const moved = migrateItemV1ToV2({ value: ready.value, context: ready.context }, itemV2RulesOf(presets.uppsala, 'facebook'));
    if (!moved.ok) throw new Error(moved.reason);
    const restored = v2.restore(moved);
    expect(v2.step(restored, ev.UNPUBLISH)).toMatchObject({ ok: false, code: 'refused', rule: 'UP-4', detail: expect.stringContaining('SEND_TO_REGISTRAR') });
    expect(v2.allowed(restored)).toContain('SEND_TO_REGISTRAR');
  });

  it.each([
    ['a state item@1 never had', { handling: 'referred', records: 'open' }, {}, /not an item@1 state/],
    ['a value of another shape', 'received', {}, /not an item@1 state/],
    ['a context without item@1 fields', undefined, { evidence: undefined }, /lacks item@1 fields: evidence/],
    ['a decision item@1 never had', undefined, { decision: 'hide' }, /not one of item@1's/],
  ] as const)('refuses %s', (_what, value, contextChange, reason) => {
    const snapshot = driveV1('avesta', [a('avesta', 'answer')])!;
    const context: Record<string, unknown> = { ...snapshot.context, ...contextChange };
    for (const [key, v] of Object.entries(contextChange)) if (v === undefined) delete context[key];
    const moved = migrateItemV1ToV2({ value: value ?? snapshot.value, context }, itemV2RulesOf(presets.avesta, 'facebook'));
    expect(moved).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('refuses rules built for a platform with other capabilities than the item\'s', () => {
    const onX = driveV1('avesta', [], 'x')!;
    const moved = migrateItemV1ToV2({ value: onX.value, context: onX.context }, itemV2RulesOf(presets.avesta, 'facebook'));
    expect(moved).toEqual({ ok: false, reason: expect.stringContaining('canRemove, canMessage') });
    expect(migrateItemV1ToV2({ value: onX.value, context: onX.context }, itemV2RulesOf(presets.avesta, 'x')).ok).toBe(true);
  });

  it('leaves item@1 itself as it was: the same snapshot steps the same under item@1 after a move', () => {
    const snapshot = driveV1('tibro', [a('tibro', 'answer')])!;
    const before = JSON.stringify(snapshot.context);
    migrateItemV1ToV2({ value: snapshot.value, context: snapshot.context }, itemV2RulesOf(presets.tibro, 'facebook'));
    expect(JSON.stringify(snapshot.context)).toBe(before);
    expect(itemStepper.allowed(snapshot)).toEqual(['ASSESS', 'ACKNOWLEDGE', 'ANSWER', 'FORWARD', 'CAPTURE_EVIDENCE', 'REGISTER', 'HOLD']);
  });
});
