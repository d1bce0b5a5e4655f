// What an accepted item@2 step asks of the world, as data (effects.ts). item@1's table, plus REFER
// meeting the answer deadline and hide/report settling the removal at the assessment. Pure.
import type { Effect } from './effects.ts';
import { deadlineChanges, type DeadlineChange } from './item.deadlines.ts';
import { commonEffects } from './item.v1.effects.ts';
import type { ItemV2Context, ItemV2Input, ItemV2MachineEvent } from './item.v2.machine.ts';
import type { DecisionV2 } from './item.v2.rules.ts';

/** The effects of receiving an item@2 item: AV-6, TI-2, the assess deadline of an inbound item opens. */
export function itemV2ReceiptEffects(input: Pick<ItemV2Input, 'direction'>): Effect[] {
  return deadlineChanges({ type: 'RECEIVED' }, input).map(toEffect);
}

/**
 * Hiding or reporting is the one removal the platform allows, done by the assessment itself: a
 * remove deadline an earlier assessment opened is met (the write path ignores a meet of a deadline
 * never opened), and the answer deadline is cancelled, as for unpublishing.
 */
const settledAtAssessment: Partial<Record<DecisionV2, Record<'answer' | 'remove', DeadlineChange['change']>>> = {
  hide: { answer: 'cancel', remove: 'meet' },
  report: { answer: 'cancel', remove: 'meet' },
};

/** The effects of one accepted item@2 step, read from the event and the context before it. */
export function itemV2Effects(
  event: ItemV2MachineEvent,
  before: { context: ItemV2Context },
  _after: { context: ItemV2Context },
): Effect[] {
  return [...deadlineEffects(event, before.context), ...commonEffects(event, before.context)];
}

function deadlineEffects(event: ItemV2MachineEvent, context: ItemV2Context): Effect[] {
  switch (event.type) {
    case 'ASSESS': {
      const settled = settledAtAssessment[event.decision];
      if (settled) return [toEffect({ kind: 'assess', change: 'meet' }), ...(['answer', 'remove'] as const).map((kind) => toEffect({ kind, change: settled[kind] }))];
      return deadlineChanges({ type: 'ASSESS', decision: event.decision as Exclude<DecisionV2, 'hide' | 'report'> }, context).map(toEffect);
    }
    case 'REFER':
      // TI-6, UP-2: a referral is the answer the item gets.
      return [toEffect({ kind: 'answer', change: 'meet' })];
    default:
      return deadlineChanges(event, context).map(toEffect);
  }
}

function toEffect({ kind, change }: DeadlineChange): Effect {
  return { type: 'deadline', kind, change };
}
