// Replay: re-run an item's recorded events through the machine version each one names, and
// compare the result with the stored snapshot. `asOf` stops after the last event at or before it.
import type { ItemInput, ItemMachineEvent } from '../machines/item.machine.ts';
import { itemMachines, itemStatus, type ItemSnapshot } from '../machines/item.step.ts';
import type { Db } from './client.ts';
import { canonicalJson } from './hashing.ts';
import { findItem } from './items.ts';
import { subjectHistory } from './ledger.ts';

export interface ReplayResult {
  asOf: string;
  eventsApplied: number;
  state: unknown;
  status: string | null;
  matchesStored: boolean;
  /** Why replay stopped short, when a recorded event could not be re-applied. */
  problem?: string;
}

export async function replayItem(db: Db, orgId: string, itemId: string, asOf: Date): Promise<ReplayResult | null> {
  const row = await findItem(db, orgId, itemId);
  if (!row) return null;
  const events = await subjectHistory(db, orgId, itemId);
  const until = asOf.toISOString();
  let snapshot: ItemSnapshot | null = null;
  let applied = 0;
  let problem: string | undefined;
  for (const event of events) {
    if (event.at > until) break;
    const version = itemMachines[event.machine];
    if (!version) { problem = `seq ${event.seq}: unknown machine ${event.machine}`; break; }
    if (snapshot === null) {
      snapshot = version.start(event.payload.input as ItemInput);
    } else {
      const outcome = version.stepper.step(snapshot, { ...event.payload, type: event.type } as ItemMachineEvent);
      if (!outcome.ok) { problem = `seq ${event.seq}: ${event.type} refused on replay (${outcome.detail})`; break; }
      snapshot = outcome.snapshot;
    }
    if (canonicalJson(snapshot.value) !== canonicalJson(event.to)) {
      problem = `seq ${event.seq}: replay reached ${canonicalJson(snapshot.value)}, the ledger says ${canonicalJson(event.to)}`;
      break;
    }
    applied += 1;
  }
  const matchesStored =
    problem === undefined &&
    snapshot !== null &&
    canonicalJson({ value: snapshot.value, context: snapshot.context }) === canonicalJson({ value: row.state, context: row.context });
  return {
    asOf: until,
    eventsApplied: applied,
    state: snapshot?.value ?? null,
    status: snapshot ? itemStatus(snapshot) : null,
    matchesStored,
    ...(problem ? { problem } : {}),
  };
}
