// The item machine as the rest of Diarium uses it: start, restore, step, status, allowed events.
// Pure: no I/O, no clock.
import type { SnapshotFrom } from 'xstate';
import { itemV1ClientEvents } from './item.events.ts';
import {
  itemMachine, itemMachineVersion, itemMachineWithoutRules, type ItemInput, type ItemMachineEvent,
} from './item.v1.machine.ts';
import { answerRefusal, assessRefusal, notifyAuthorRefusal, thinRefusal, unpublishRefusal } from './item.rules.ts';
import { itemV1Effects } from './item.v1.effects.ts';
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

export const itemStepper = createStepper({
  machine: itemMachine,
  withoutRules: itemMachineWithoutRules,
  clientEvents: itemV1ClientEvents,
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

