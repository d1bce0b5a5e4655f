// Where an item@2 item stands, for lists and pages: its handling and records states and the one
// status the API shows (item.step.ts's statuses, unchanged). Pure.
import type { ItemStatus } from './item.step.ts';
import { itemV2HandlingDoneStates, type ItemV2Snapshot } from './item.v2.machine.ts';

export function itemV2HandlingState(snapshot: Pick<ItemV2Snapshot, 'value'>): string {
  return (snapshot.value as { handling: string }).handling;
}

export function itemV2RecordsState(snapshot: Pick<ItemV2Snapshot, 'value'>): string {
  return (snapshot.value as { records: string }).records;
}

export function isItemV2HandlingDone(snapshot: Pick<ItemV2Snapshot, 'value'>): boolean {
  return (itemV2HandlingDoneStates as readonly string[]).includes(itemV2HandlingState(snapshot));
}

/**
 * The status of item@2's new handling states among item@1's statuses: a referral is the answer the
 * item gets (TI-6, UP-2); hiding is unpublishing (RULES.md: "unpublish = remove or hide"); a
 * reported item is still on the channel with nothing left for the organisation to do, as
 * no_action. The handling state itself tells hidden and reported apart.
 */
const statusOfHandling: Record<string, ItemStatus> = {
  referred: 'answered',
  hidden: 'unpublished',
  reported: 'assessed',
  no_action: 'assessed',
};

/** The user-facing status: the records outcome once handling is done, else where handling stands. */
export function itemV2Status(snapshot: Pick<ItemV2Snapshot, 'value'>): ItemStatus {
  const records = itemV2RecordsState(snapshot);
  if (records === 'thinned') return 'thinned';
  if (records === 'registered' && isItemV2HandlingDone(snapshot)) return 'registered';
  const handling = itemV2HandlingState(snapshot);
  return statusOfHandling[handling] ?? (handling as ItemStatus);
}
