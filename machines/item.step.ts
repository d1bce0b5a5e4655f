// The item machine as the rest of Diarium uses it: start, restore, step, status, allowed events.
// Pure: no I/O, no clock.
import type { SnapshotFrom } from 'xstate';
import { itemEventRoles, type ItemEventType } from './item.events.ts';
import {
  itemMachine, itemMachineVersion, itemMachineWithoutRules, type ItemInput, type ItemMachineEvent,
} from './item.machine.ts';
import { answerRefusal, assessRefusal, notifyAuthorRefusal, thinRefusal, unpublishRefusal } from './item.rules.ts';
import { deadlineChanges, type DeadlineKind } from './item.deadlines.ts';
import type { Effect } from './effects.ts';
import { createStepper } from './step.ts';

export type ItemSnapshot = SnapshotFrom<typeof itemMachine>;

export const itemStatuses = ['received', 'assessed', 'answered', 'forwarded', 'unpublished', 'registered', 'thinned'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

/**
 * Statuses whose records side is still open: every status but the records region's outcomes
 * (registered, thinned), which are never thinned again.
 */
export const openRecordStatuses: readonly ItemStatus[] = itemStatuses.filter(
  (status) => !Object.keys(itemMachine.states.records!.states).includes(status),
);

const clientEvents = (Object.keys(itemEventRoles) as ItemEventType[]).filter(
  (type) => itemEventRoles[type].some((role) => role !== 'system'),
);

export const itemStepper = createStepper({
  machine: itemMachine,
  withoutRules: itemMachineWithoutRules,
  clientEvents,
  effects: itemV1Effects,
  refusal(context, event) {
    switch (event.type) {
      case 'ASSESS': return assessRefusal(context, event);
      case 'ANSWER': return answerRefusal(context);
      case 'NOTIFY_AUTHOR': return notifyAuthorRefusal(context);
      case 'UNPUBLISH': return unpublishRefusal(context);
      case 'THIN': return thinRefusal(context);
      default: return null;
    }
  },
});

export function startItem(input: ItemInput): ItemSnapshot {
  return itemStepper.start(input);
}

/** Machine versions that recorded events may name; replay runs each event under its own. */
export const itemMachines: Record<string, { start: typeof startItem; stepper: typeof itemStepper }> = {
  [itemMachineVersion]: { start: startItem, stepper: itemStepper },
};

export function stepItem(snapshot: ItemSnapshot, event: ItemMachineEvent) {
  return itemStepper.step(snapshot, event);
}

export function handlingState(snapshot: ItemSnapshot): string {
  return (snapshot.value as { handling: string }).handling;
}

export function recordsState(snapshot: ItemSnapshot): string {
  return (snapshot.value as { records: string }).records;
}

export function isHandlingDone(snapshot: ItemSnapshot): boolean {
  return ['answered', 'unpublished', 'no_action'].includes(handlingState(snapshot));
}

/** The user-facing status: the records outcome once handling is done, else where handling stands. */
export function itemStatus(snapshot: ItemSnapshot): ItemStatus {
  const records = recordsState(snapshot);
  if (records === 'thinned') return 'thinned';
  if (records === 'registered' && isHandlingDone(snapshot)) return 'registered';
  const handling = handlingState(snapshot);
  return handling === 'no_action' ? 'assessed' : (handling as ItemStatus);
}

/** item@1's effects: its deadlines (item.deadlines.ts), evidence to capture, and what THIN erases and records. */
export function itemV1Effects(event: ItemMachineEvent, before: ItemSnapshot): Effect[] {
  const decision = event.type === 'ASSESS' ? { decision: event.decision } : {};
  const effects: Effect[] = deadlineChanges({ type: event.type, ...decision }, before.context).map(({ kind, change }) => ({
    type: 'deadline', kind, change,
  }));
  if (event.type === 'DEADLINE_BREACHED') effects.push({ type: 'deadline', kind: event.deadline as DeadlineKind, change: 'breach' });
  if (event.type === 'CAPTURE_EVIDENCE' && !event.evidenceSha256) effects.push({ type: 'capture-evidence' });
  if (event.type === 'THIN') {
    effects.push({ type: 'erase-content', reason: event.reason });
    effects.push({ type: 'thinning-decision', rule: before.context.rules.thinningRule, reason: event.reason });
  }
  return effects;
}

/** The effects of receipt: AV-6, TI-2 — an inbound item is assessed by its deadline. */
export function receivedEffects(direction: string): Effect[] {
  return deadlineChanges({ type: 'RECEIVED' }, { direction }).map(({ kind, change }) => ({ type: 'deadline', kind, change }));
}
