// Replay: re-run a subject's recorded events through the machine version each one names, and
// compare the result with the stored snapshot. `asOf` stops after the last event at or before it.
import { accountMachines, accountStatus } from '../machines/account.step.ts';
import { itemMachines, itemStatus, type ItemSnapshot } from '../machines/item.step.ts';
import type { Stepper } from '../machines/step.ts';
import { findAccount } from './accounts.ts';
import type { Db } from './client.ts';
import { canonicalJson } from './hashing.ts';
import { findItem } from './items.ts';
import { subjectHistory, type ChainedEvent } from './ledger.ts';

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
  machineEvent(event: ChainedEvent): unknown;
}

const itemSubject: Subject = {
  versions: itemMachines as unknown as Subject['versions'],
  status: (snapshot) => itemStatus(snapshot as ItemSnapshot),
  machineEvent: (event) => ({ ...event.payload, type: event.type }),
};

const accountSubject: Subject = {
  versions: accountMachines as unknown as Subject['versions'],
  status: accountStatus,
  // Account events carry their instant in the machine; the ledger keeps it once, in `at`.
  machineEvent: (event) => ({ ...event.payload, type: event.type, at: event.at }),
};

export async function replayItem(db: Db, orgId: string, itemId: string, asOf: Date): Promise<ReplayResult | null> {
  const row = await findItem(db, orgId, itemId);
  return row ? replay(itemSubject, row, await subjectHistory(db, orgId, itemId), asOf) : null;
}

export async function replayAccount(db: Db, orgId: string, accountId: string, asOf: Date): Promise<ReplayResult | null> {
  const row = await findAccount(db, orgId, accountId);
  return row ? replay(accountSubject, row, await subjectHistory(db, orgId, accountId), asOf) : null;
}

function replay(subject: Subject, stored: { state: unknown; context: unknown }, events: ChainedEvent[], asOf: Date): ReplayResult {
  const until = asOf.toISOString();
  let snapshot: Snapshot | null = null;
  let applied = 0;
  let problem: string | undefined;
  for (const event of events) {
    if (event.at > until) break;
    const version = subject.versions[event.machine];
    if (!version) { problem = `seq ${event.seq}: unknown machine ${event.machine}`; break; }
    if (snapshot === null) {
      snapshot = version.start(event.payload.input as never);
    } else if (event.type === 'UPGRADED') {
      // A recorded migration of the live snapshot to a new machine version (db/account-upgrade.ts).
      snapshot = version.stepper.restore({ value: event.to, context: event.payload.context });
    } else {
      const outcome = version.stepper.step(snapshot as never, subject.machineEvent(event) as never);
      if (!outcome.ok) { problem = `seq ${event.seq}: ${event.type} refused on replay (${outcome.detail})`; break; }
      snapshot = outcome.snapshot as Snapshot;
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
