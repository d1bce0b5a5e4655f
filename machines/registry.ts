// Every machine version a recorded event may name, and what the write path needs of each: how to
// start and step it, what status a snapshot shows, which event fields are personal text, how a
// client's event is completed before the machine sees it, and the effects of a first step.
// A live item or account steps under the version its row records; replay runs each recorded event
// under the version it names; new subjects start at the newest version. Pure: no I/O, no clock.
import { accountMachineVersion } from './account.machine.ts';
import { accountStatus, accountStepper, startAccount } from './account.step.ts';
import { accountV1Stepper, accountV1Version, startAccountV1, type AccountV1Input } from './account.v1.machine.ts';
import type { AccountInput } from './account.machine.ts';
import { completeAccountEvent } from './account.prepare.ts';
import type { Effect } from './effects.ts';
import { itemEventSchemas, itemV2EventSchemas, personalFields } from './item.events.ts';
import { migrateItemV1ToV2 } from './item.migrations.ts';
import { itemEventPreparer } from './item.prepare.ts';
import { itemRulesOf } from './item.rules.ts';
import { itemStatus, itemStepper, startItem, type ItemSnapshot } from './item.step.ts';
import { itemV1ReceiptEffects } from './item.v1.effects.ts';
import { itemMachineVersion, type ItemContext, type ItemInput } from './item.v1.machine.ts';
import { itemV2ReceiptEffects } from './item.v2.effects.ts';
import { itemV2Version, type ItemV2Input } from './item.v2.machine.ts';
import { itemV2RulesOf } from './item.v2.rules.ts';
import { itemV2Status } from './item.v2.status.ts';
import { itemV2Stepper, startItemV2 } from './item.v2.step.ts';
import type { Platform, Policy } from './policy/policy.schema.ts';
import type { StepOutcome } from './step.ts';

export type Subject = 'item' | 'account';
export type StoredSnapshot = { value: unknown; context: unknown };
export type MachineEvent = { type: string } & Record<string, unknown>;

/** A refusal of a client's event before the machine sees it: bad input for this subject. */
export interface Invalid {
  ok: false;
  code: 'invalid';
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

/** A stepper seen through stored JSON: what the write path and replay ask of every version. */
export interface VersionStepper {
  restore(stored: StoredSnapshot): StoredSnapshot;
  step(snapshot: StoredSnapshot, event: MachineEvent): StepOutcome<StoredSnapshot>;
  allowed(snapshot: StoredSnapshot): string[];
}

export interface MachineVersion {
  id: string;
  subject: Subject;
  start(input: unknown): StoredSnapshot;
  stepper: VersionStepper;
  status(snapshot: StoredSnapshot): string;
  /** Free-text fields per event type that may name a person: kept apart from the ledger. */
  personalFields: Partial<Record<string, readonly string[]>>;
  /** The event as the machine takes it, from what a client or a job sent, as of `at`. */
  prepare(event: MachineEvent, facts: { context: unknown; policy: Policy; at: string }): { ok: true; event: MachineEvent } | Invalid;
  /** The effects of the first step (receipt or proposal), from the machine's input. */
  startEffects(input: unknown): Effect[];
}

/** What the machine's input is made of for a new item: its facts and the policy's rules, frozen at receipt. */
export interface ItemFacts {
  kind: string;
  direction: string;
  platform: string;
}

export interface ItemMachineVersion extends MachineVersion {
  inputOf(facts: ItemFacts, policy: Policy): unknown;
}

const asStepper = (stepper: unknown) => stepper as VersionStepper;

const item1: ItemMachineVersion = {
  id: itemMachineVersion,
  subject: 'item',
  start: (input) => startItem(input as ItemInput),
  stepper: asStepper(itemStepper),
  status: (snapshot) => itemStatus(snapshot as ItemSnapshot),
  personalFields,
  prepare: itemEventPreparer(itemEventSchemas),
  startEffects: (input) => itemV1ReceiptEffects(input as ItemInput),
  inputOf: (facts, policy) => ({ ...facts, rules: itemRulesOf(policy, facts.platform as Platform) }),
};

const item2: ItemMachineVersion = {
  id: itemV2Version,
  subject: 'item',
  start: (input) => startItemV2(input as ItemV2Input),
  stepper: asStepper(itemV2Stepper),
  status: (snapshot) => itemV2Status(snapshot as Parameters<typeof itemV2Status>[0]),
  personalFields,
  prepare: itemEventPreparer(itemV2EventSchemas),
  startEffects: (input) => itemV2ReceiptEffects(input as ItemV2Input),
  inputOf: (facts, policy) => ({ ...facts, rules: itemV2RulesOf(policy, facts.platform as Platform) }),
};

const account1: MachineVersion = {
  id: accountV1Version,
  subject: 'account',
  start: (input) => startAccountV1(input as AccountV1Input),
  stepper: asStepper(accountV1Stepper),
  status: accountStatus,
  personalFields: {},
  prepare: completeAccountEvent,
  startEffects: () => [],
};

const account2: MachineVersion = {
  ...account1,
  id: accountMachineVersion,
  start: (input) => startAccount(input as AccountInput),
  stepper: asStepper(accountStepper),
};

export const machineVersions: Readonly<Record<string, MachineVersion>> = {
  [item1.id]: item1,
  [item2.id]: item2,
  [account1.id]: account1,
  [account2.id]: account2,
};

/** The version new subjects start at. */
export const newestVersion = { item: item2, account: account2 } as const;

/**
 * Link types that move a live snapshot to another machine version: the link names the new version
 * and carries the new context; replay restores it rather than stepping.
 */
// POLICY_APPLIED: a policy change gives a live account the new version's account rules (its context carries them).
export const migrationEventTypes = ['UPGRADED', 'MIGRATED', 'POLICY_APPLIED'] as const;

export function isMigration(type: string): boolean {
  return (migrationEventTypes as readonly string[]).includes(type);
}

/** A pure move of a live snapshot from one version to the next; it may refuse an item it cannot move safely. */
export interface MachineMigration {
  from: string;
  to: string;
  migrate(stored: StoredSnapshot, facts: { policy: Policy }): { ok: true; next: StoredSnapshot } | { ok: false; reason: string };
}

export const machineMigrations: readonly MachineMigration[] = [
  {
    from: item1.id,
    to: item2.id,
    migrate(stored, { policy }) {
      const platform = (stored.context as ItemContext).platform as Platform;
      const moved = migrateItemV1ToV2(stored, itemV2RulesOf(policy, platform));
      return moved.ok ? { ok: true, next: { value: moved.value, context: moved.context } } : moved;
    },
  },
];

export function machineMigration(from: string, to: string): MachineMigration | undefined {
  return machineMigrations.find((migration) => migration.from === from && migration.to === to);
}

/** The version a row or a ledger link names; undefined for a name no release knew. */
export function machineVersion(id: string): MachineVersion | undefined {
  return machineVersions[id];
}

/** The event as the machine sees it, and its personal fields as effects that keep them apart. */
export function splitPersonal(version: MachineVersion, event: MachineEvent): { event: MachineEvent; effects: Effect[] } {
  const fields = version.personalFields[event.type] ?? [];
  const machineEvent: MachineEvent = { type: event.type };
  const effects: Effect[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (value === undefined || key === 'type') continue;
    if (fields.includes(key)) effects.push({ type: 'store-apart', field: key, text: value });
    else machineEvent[key] = value;
  }
  return { event: machineEvent, effects };
}
