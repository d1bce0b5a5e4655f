// What an accepted item@1 step asks of the world, as data (effects.ts): today's deadline changes
// (item.deadlines.ts), the evidence to capture, and the erasure and decision record of THIN. Pure.
import type { Effect } from './effects.ts';
import { deadlineChanges, deadlineKinds, type DeadlineKind } from './item.deadlines.ts';
import type { ItemContext, ItemInput, ItemMachineEvent } from './item.v1.machine.ts';

/** The effects of receiving an item@1 item: AV-6, TI-2, the assess deadline of an inbound item opens. */
export function itemV1ReceiptEffects(input: Pick<ItemInput, 'direction'>): Effect[] {
  return deadlineChanges({ type: 'RECEIVED' }, input).map(({ kind, change }) => ({ type: 'deadline', kind, change }));
}

/** The effects of one accepted item@1 step, read from the event and the context before it. */
export function itemV1Effects(
  event: ItemMachineEvent,
  before: { context: ItemContext },
  _after: { context: ItemContext },
): Effect[] {
  const deadlines: Effect[] = deadlineChanges(event, before.context).map(({ kind, change }) => ({ type: 'deadline', kind, change }));
  return [...deadlines, ...commonEffects(event, before.context)];
}

/** Effects item@1 and item@2 share beyond the deadline table. */
export function commonEffects(
  event: { type: string; deadline?: string; evidenceSha256?: string; reason?: string },
  context: { rules: { thinningRule: string } },
): Effect[] {
  switch (event.type) {
    case 'DEADLINE_BREACHED':
      return isDeadlineKind(event.deadline) ? [{ type: 'deadline', kind: event.deadline, change: 'breach' }] : [];
    case 'CAPTURE_EVIDENCE':
      // AV-7: without a digest from the client, the content as it stands now is saved.
      return event.evidenceSha256 ? [] : [{ type: 'capture-evidence' }];
    case 'THIN': {
      const reason = event.reason ?? '';
      // AV-14, TI-13: thinned under a documented decision, naming the policy's rule.
      return [{ type: 'erase-content', reason }, { type: 'thinning-decision', rule: context.rules.thinningRule, reason }];
    }
    default:
      return [];
  }
}

function isDeadlineKind(kind: string | undefined): kind is DeadlineKind {
  return (deadlineKinds as readonly string[]).includes(kind ?? '');
}
