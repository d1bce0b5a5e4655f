// Replay: re-run a subject's recorded events through the machine version each one names, and
// compare the result with the stored snapshot. `asOf` stops after the last event at or before it.
import { isDeepStrictEqual } from 'node:util';
import { accountMachines, accountStatus } from '../../machines/account.step.ts';
import { itemMachines, itemStatus, type ItemSnapshot } from '../../machines/item.step.ts';
import type { Stepper } from '../../machines/step.ts';
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

type Snapshot = { value: unknown; context: unknown };

interface Subject {
  versions: Record<string, { start(input: never): Snapshot; stepper: Stepper<never> }>;
  status(snapshot: Snapshot): string;
  /** The event as the machine takes it, rebuilt from the ledger row. */
  machineEvent(event: ReplayEvent): unknown;
}

const itemSubject: Subject = {
  versions: itemMachines as unknown as Subject['versions'],
  status: (snapshot) => itemStatus(snapshot as ItemSnapshot),
  machineEvent: (event) => withFields(JSON.parse(event.payloadJson), { type: event.type }),
};

const accountSubject: Subject = {
  versions: accountMachines as unknown as Subject['versions'],
  status: accountStatus,
  // Account events carry their instant in the machine; the ledger keeps it once, in `at`.
  machineEvent: (event) => withFields(JSON.parse(event.payloadJson), { type: event.type, at: event.at }),
};

/**
 * The parsed payload with the fields set on it. It is fresh from JSON.parse and nothing else holds
 * it, so it needs no copy (parsing and spreading it was a seventh of a replay's CPU, measured).
 */
function withFields(payload: Record<string, unknown>, fields: Record<string, unknown>): unknown {
  return Object.assign(payload, fields);
}

export async function replayItem(db: Db, orgId: string, itemId: string, asOf: Date): Promise<ReplayResult | null> {
  const row = await findItem(db, orgId, itemId);
  return row ? replay(itemSubject, row, await replayHistory(db, orgId, itemId), asOf) : null;
}

export async function replayAccount(db: Db, orgId: string, accountId: string, asOf: Date): Promise<ReplayResult | null> {
  const row = await findAccount(db, orgId, accountId);
  return row ? replay(accountSubject, row, await replayHistory(db, orgId, accountId), asOf) : null;
}

function replay(subject: Subject, stored: { state: unknown; context: unknown }, events: ReplayEvent[], asOf: Date): ReplayResult {
  const until = asOf.toISOString();
  // Recorded states repeat (a held item is released to the state it left), so each distinct stored
  // text is parsed once. States are compared as values, key order aside; as canonical texts they
  // cost a tenth of replay.
  const recordedValues = new Map<string, unknown>();
  let snapshot: Snapshot | null = null;
  let applied = 0;
  let problem: string | undefined;
  for (const event of events) {
    if (event.at > until) break;
    const version = subject.versions[event.machine];
    if (!version) { problem = `seq ${event.seq}: unknown machine ${event.machine}`; break; }
    if (snapshot === null) {
      snapshot = version.start(JSON.parse(event.payloadJson).input as never);
    } else if (event.type === 'UPGRADED') {
      // A recorded migration of the live snapshot to a new machine version (db/accounts/account-upgrade.ts).
      const { context } = JSON.parse(event.payloadJson);
      snapshot = version.stepper.restore({ value: JSON.parse(event.toJson), context });
    } else {
      const outcome = version.stepper.step(snapshot as never, subject.machineEvent(event) as never);
      if (!outcome.ok) { problem = `seq ${event.seq}: ${event.type} refused on replay (${outcome.detail})`; break; }
      snapshot = outcome.snapshot as Snapshot;
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
    status: snapshot ? subject.status(snapshot) : null,
    matchesStored,
    ...(problem ? { problem } : {}),
  };
}
