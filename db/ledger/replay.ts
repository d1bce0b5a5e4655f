// Replay: re-run a subject's recorded events through the machine version each one names, and
// compare the result with the stored snapshot. `asOf` stops after the last event at or before it.
import { isDeepStrictEqual } from 'node:util';
import { isMigration, machineVersion, type MachineEvent, type StoredSnapshot } from '../../machines/registry.ts';
import { findAccount } from '../accounts/accounts.ts';
import type { Db } from '../client.ts';
import { canonicalJson } from './hashing.ts';
import { findItem } from '../items/items.ts';
import { replayHistory, type ReplayEvent } from './replay-history.ts';

export interface ReplayResult {
  asOf: string;
  eventsApplied: number;
  state: unknown;
  status: string | null;
  matchesStored: boolean;
  /** Why replay stopped short, when a recorded event could not be re-applied. */
  problem?: string;
}

type Snapshot = StoredSnapshot;

/** The event as the machine takes it, rebuilt from the ledger row: its instant is kept once, in `at`. */
function machineEvent(event: ReplayEvent): MachineEvent {
  return withFields(JSON.parse(event.payloadJson), { type: event.type, at: event.at }) as MachineEvent;
}

/**
 * The parsed payload with the fields set on it. It is fresh from JSON.parse and nothing else holds
 * it, so it needs no copy (parsing and spreading it was a seventh of a replay's CPU, measured).
 */
function withFields(payload: Record<string, unknown>, fields: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(payload, fields);
}

export async function replayItem(db: Db, orgId: string, itemId: string, asOf: Date): Promise<ReplayResult | null> {
  const row = await findItem(db, orgId, itemId);
  return row ? replay(row, await replayHistory(db, orgId, itemId), asOf) : null;
}

export async function replayAccount(db: Db, orgId: string, accountId: string, asOf: Date): Promise<ReplayResult | null> {
  const row = await findAccount(db, orgId, accountId);
  return row ? replay(row, await replayHistory(db, orgId, accountId), asOf) : null;
}

function replay(stored: { state: unknown; context: unknown }, events: ReplayEvent[], asOf: Date): ReplayResult {
  const until = asOf.toISOString();
  // Recorded states repeat (a held item is released to the state it left), so each distinct stored
  // text is parsed once. States are compared as values, key order aside; as canonical texts they
  // cost a tenth of replay.
  const recordedValues = new Map<string, unknown>();
  let snapshot: Snapshot | null = null;
  let status: (snapshot: Snapshot) => string = () => 'unknown';
  let applied = 0;
  let problem: string | undefined;
  for (const event of events) {
    if (event.at > until) break;
    const version = machineVersion(event.machine);
    if (!version) { problem = `seq ${event.seq}: unknown machine ${event.machine}`; break; }
    if (snapshot === null) {
      snapshot = version.start(JSON.parse(event.payloadJson).input);
      status = version.status;
    } else if (isMigration(event.type)) {
      // A recorded migration of the live snapshot to a new machine version: the link carries the new context.
      const { context } = JSON.parse(event.payloadJson);
      snapshot = version.stepper.restore({ value: JSON.parse(event.toJson), context });
      status = version.status;
    } else {
      const outcome = version.stepper.step(snapshot, machineEvent(event));
      if (!outcome.ok) { problem = `seq ${event.seq}: ${event.type} refused on replay (${outcome.detail})`; break; }
      snapshot = outcome.snapshot;
    }
    let recorded = recordedValues.get(event.toJson);
    if (recorded === undefined) recordedValues.set(event.toJson, (recorded = JSON.parse(event.toJson)));
    if (!isDeepStrictEqual(snapshot.value, recorded)) {
      problem = `seq ${event.seq}: replay reached ${canonicalJson(snapshot.value)}, the ledger says ${canonicalJson(recorded)}`;
      break;
    }
    applied += 1;
  }
  const matchesStored =
    problem === undefined &&
    snapshot !== null &&
    canonicalJson({ value: snapshot.value, context: snapshot.context }) === canonicalJson({ value: stored.state, context: stored.context });
  return {
    asOf: until,
    eventsApplied: applied,
    state: snapshot?.value ?? null,
    status: snapshot ? status(snapshot) : null,
    matchesStored,
    ...(problem ? { problem } : {}),
  };
}
