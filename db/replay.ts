// Replay: re-run a subject's recorded events through the machine version each one names, and
// compare the result with the stored snapshot. `asOf` stops after the last event at or before it.
import { accountMachines, accountStatus } from '../machines/account.step.ts';
import { itemMachines, itemStatus, type ItemSnapshot } from '../machines/item.step.ts';
import type { StepOutcome, Stepper } from '../machines/step.ts';
import { findAccount } from './accounts.ts';
import type { Db } from './client.ts';
import { canonicalJson } from './hashing.ts';
import { findItem } from './items.ts';
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

/** A machine snapshot as replay handles it: XState's, with the machine that made it. */
type Snapshot = { value: unknown; context: unknown; machine?: unknown };

interface Subject {
  versions: Record<string, { start(input: never): Snapshot; stepper: Stepper<never> }>;
  status(snapshot: Snapshot): string;
  /** The event as the machine takes it, rebuilt from the ledger row. */
  machineEvent(event: ReplayEvent): unknown;
  /** Text that is equal for two rows exactly when their machine events are. */
  eventKey(event: ReplayEvent): string;
}

const itemSubject: Subject = {
  versions: itemMachines as unknown as Subject['versions'],
  status: (snapshot) => itemStatus(snapshot as ItemSnapshot),
  machineEvent: (event) => ({ ...JSON.parse(event.payloadJson), type: event.type }),
  eventKey: (event) => `${event.type} ${event.payloadJson}`,
};

const accountSubject: Subject = {
  versions: accountMachines as unknown as Subject['versions'],
  status: accountStatus,
  // Account events carry their instant in the machine; the ledger keeps it once, in `at`.
  machineEvent: (event) => ({ ...JSON.parse(event.payloadJson), type: event.type, at: event.at }),
  eventKey: (event) => `${event.type} ${event.at} ${event.payloadJson}`,
};

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
  const steps = rememberedSteps(subject);
  let snapshot: Snapshot | null = null;
  let applied = 0;
  let problem: string | undefined;
  for (const event of events) {
    if (event.at > until) break;
    const version = subject.versions[event.machine];
    if (!version) { problem = `seq ${event.seq}: unknown machine ${event.machine}`; break; }
    if (snapshot === null) {
      snapshot = steps.same(version.start(JSON.parse(event.payloadJson).input as never));
    } else if (event.type === 'UPGRADED') {
      // A recorded migration of the live snapshot to a new machine version (db/account-upgrade.ts).
      const { context } = JSON.parse(event.payloadJson);
      snapshot = steps.same(version.stepper.restore({ value: JSON.parse(event.toJson), context }));
    } else {
      const outcome = steps.step(version.stepper, snapshot, event);
      if (!outcome.ok) { problem = `seq ${event.seq}: ${event.type} refused on replay (${outcome.detail})`; break; }
      snapshot = outcome.snapshot;
    }
    const reached = steps.valueJson(snapshot);
    const recorded = steps.recordedJson(event.toJson);
    if (reached !== recorded) {
      problem = `seq ${event.seq}: replay reached ${reached}, the ledger says ${recorded}`;
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

/**
 * The steps of one replay, remembered. A step is a pure function of the snapshot's value and
 * context and of the event, and long histories repeat themselves (hold, release, hold, …): at
 * ~20 µs a machine step, 1,000 of them alone would use the 20 ms a replay may take. Snapshots of
 * one machine with equal value and context are made one object, so a repeat is found by identity
 * without serialising the context at every event.
 */
function rememberedSteps(subject: Subject) {
  const byContent = new Map<unknown, Map<string, Snapshot>>();
  const after = new Map<Snapshot, Map<string, StepOutcome<Snapshot>>>();
  const valueJsons = new Map<Snapshot, string>();
  const recordedJsons = new Map<string, string>();
  // Only snapshots of one machine are the same: XState steps a snapshot under its own machine.
  const same = (snapshot: Snapshot): Snapshot => {
    let ofMachine = byContent.get(snapshot.machine);
    if (!ofMachine) byContent.set(snapshot.machine, (ofMachine = new Map()));
    const key = JSON.stringify([snapshot.value, snapshot.context]);
    const seen = ofMachine.get(key);
    if (seen) return seen;
    ofMachine.set(key, snapshot);
    return snapshot;
  };
  return {
    same,
    step(stepper: Stepper<never>, snapshot: Snapshot, event: ReplayEvent): StepOutcome<Snapshot> {
      const eventKey = `${event.machine} ${subject.eventKey(event)}`;
      let outcomes = after.get(snapshot);
      if (!outcomes) after.set(snapshot, (outcomes = new Map()));
      let outcome = outcomes.get(eventKey);
      if (!outcome) {
        outcome = stepper.step(snapshot as never, subject.machineEvent(event) as never) as StepOutcome<Snapshot>;
        if (outcome.ok) outcome = { ok: true, snapshot: same(outcome.snapshot) };
        outcomes.set(eventKey, outcome);
      }
      return outcome;
    },
    /** The canonical JSON of a snapshot's state value, computed once per snapshot. */
    valueJson(snapshot: Snapshot): string {
      let json = valueJsons.get(snapshot);
      if (json === undefined) valueJsons.set(snapshot, (json = canonicalJson(snapshot.value)));
      return json;
    },
    /** The canonical JSON of a recorded state, computed once per distinct stored text. */
    recordedJson(toJson: string): string {
      let json = recordedJsons.get(toJson);
      if (json === undefined) recordedJsons.set(toJson, (json = canonicalJson(JSON.parse(toJson))));
      return json;
    },
  };
}
