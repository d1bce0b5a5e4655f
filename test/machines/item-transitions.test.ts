// item@1 as a table: every reachable (state, event) pair with its expected outcome, written out
// so that any change to the chart fails here first. Avesta's policy on Facebook.
import { describe, expect, it } from 'vitest';
import type { ItemMachineEvent } from '../../machines/item.machine.ts';
import { itemStatus, itemStepper, stepItem, type ItemSnapshot } from '../../machines/item.step.ts';
import { drive, events } from '../helpers/item-machine.ts';

const order = Object.keys(events) as Array<ItemMachineEvent['type']>;

const assess = (decision: 'answer' | 'forward' | 'unpublish' | 'no_action', extra: Partial<Extract<ItemMachineEvent, { type: 'ASSESS' }>> = {}): ItemMachineEvent =>
  ({ type: 'ASSESS', decision, categories: decision === 'unpublish' ? ['personal_attack'] : ['question'], registration: 'not_required', ...extra });

function outcomeCode(snapshot: ItemSnapshot, event: ItemMachineEvent): string {
  const outcome = stepItem(snapshot, event);
  if (outcome.ok) return 'ok';
  return outcome.code === 'refused' ? outcome.rule : '-';
}

// Columns in the order of `events`:
// ASSESS ACK ANSWER FORWARD NOTIFY CAPTURE UNPUBLISH REGISTER CLOSE HOLD RELEASE THIN BREACHED
const table: Array<[string, ItemMachineEvent[], string]> = [
  ['received', [], 'ok ok - - - ok - ok - ok - - ok'],
  ['assessed to answer', [assess('answer')], 'ok ok ok ok - ok - ok - ok - - ok'],
  ['assessed to forward', [assess('forward')], 'ok ok - ok - ok - ok - ok - - ok'],
  ['assessed to unpublish', [assess('unpublish')], 'ok - - - ok ok AV-7 ok - ok - - ok'],
  ['assessed as no action', [assess('no_action')], 'ok - - - - ok - ok - ok - ok ok'],
  ['forwarded', [assess('forward'), events.FORWARD], '- ok ok ok - ok - ok - ok - - ok'],
  ['answered', [assess('answer'), events.ANSWER], '- - - - - ok - ok - ok - ok ok'],
  ['unpublished', [assess('unpublish'), events.CAPTURE_EVIDENCE, events.UNPUBLISH], '- - - - - - - ok - ok - ok ok'],
  ['registered on receipt', [events.REGISTER], 'ok ok - - - ok - - - ok - - ok'],
  ['answered and registered', [assess('answer'), events.ANSWER, events.REGISTER], '- - - - - ok - - - ok - - ok'],
  ['on hold', [events.HOLD], 'ok ok - - - ok - ok - - ok - ok'],
  ['no action, on hold', [assess('no_action'), events.HOLD], 'ok - - - - ok - ok - - ok AV-14 ok'],
  ['thinned', [assess('no_action'), events.THIN], '- - - - - - - - - - - - -'],
];

describe('item@1 transition table (Avesta, Facebook, a comment)', () => {
  const cases = table.flatMap(([name, steps, expected]) => {
    const codes = expected.split(' ');
    expect(codes).toHaveLength(order.length);
    return order.map((type, i) => [name, type, codes[i]!, steps] as const);
  });

  it.each(cases)('%s + %s → %s', (_name, type, expected, steps) => {
    expect(outcomeCode(drive('avesta', [...steps]), events[type])).toBe(expected);
  });

  it.each(table)('in state "%s", allowedEvents lists exactly the accepted client events', (_name, steps, expected) => {
    const snapshot = drive('avesta', [...steps]);
    const accepted = order.filter((type, i) => expected.split(' ')[i] === 'ok' && type !== 'DEADLINE_BREACHED');
    expect(itemStepper.allowed(snapshot)).toEqual(accepted);
  });
});

describe('item status', () => {
  it.each([
    ['received', [], 'received'],
    ['assessed to answer', [assess('answer')], 'assessed'],
    ['no action', [assess('no_action')], 'assessed'],
    ['forwarded', [assess('forward'), events.FORWARD], 'forwarded'],
    ['answered', [assess('answer'), events.ANSWER], 'answered'],
    ['registered while handling is pending', [assess('answer'), events.REGISTER], 'assessed'],
    ['registered once handling is done', [assess('answer'), events.ANSWER, events.REGISTER], 'registered'],
    ['unpublished', [assess('unpublish'), events.CAPTURE_EVIDENCE, events.UNPUBLISH], 'unpublished'],
    ['thinned', [assess('no_action'), events.THIN], 'thinned'],
  ] as Array<[string, ItemMachineEvent[], string]>)('%s shows as %s', (_name, steps, status) => {
    expect(itemStatus(drive('avesta', steps))).toBe(status);
  });

  it('gives the same snapshot for the same events every time (replay is deterministic)', () => {
    const steps = [assess('unpublish'), events.NOTIFY_AUTHOR, events.CAPTURE_EVIDENCE, events.REGISTER, events.UNPUBLISH];
    const a = drive('tibro', steps);
    const b = drive('tibro', steps);
    expect({ value: b.value, context: b.context }).toEqual({ value: a.value, context: a.context });
  });
});
