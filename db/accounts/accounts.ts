// Accounts (official channels): propose, amend, step through account@2, read. Every change is a
// machine step committed with its hash-chained event in one transaction; client events, the
// schedules' flags and snapshot uploads all go through the one write path (write/apply-event.ts).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AccountEventBody, AccountMachineEvent } from '../../machines/account.events.ts';
import type { AccountStatus } from '../../machines/account.machine.ts';
import { accountRulesOf, noProfile, type AccountFacts } from '../../machines/account.rules.ts';
import { accountStepper, type AccountSnapshot } from '../../machines/account.step.ts';
import { machineVersion } from '../../machines/registry.ts';
import type { Policy, ProfileItem } from '../../machines/policy/policy.schema.ts';
import type { Db, Store, Tx } from '../client.ts';
import { newId } from '../ids.ts';
import type { Actor } from '../ledger/ledger.ts';
import type { WriteBatch } from '../write/write-batch.ts';
import { notFound, type Failure } from '../write/outcome.ts';
import { applyEvent, applyEventInTransaction, startSubject, type EventCommand } from '../write/apply-event.ts';
import { accounts, type Person } from '../schema.ts';

export type AccountRow = typeof accounts.$inferSelect;

/** The registry entry of a channel decision (TI-1) as a client sends it. */
export interface NewAccount {
  platform: string;
  handle: string;
  url?: string | undefined;
  purpose?: string | undefined;
  audience?: string | undefined;
  ownerUnit?: string | undefined;
  responsible?: Person | undefined;
  substitute?: Person | undefined;
  admins?: Person[] | undefined;
  profile?: Partial<Record<ProfileItem, boolean>> | undefined;
}

/** AMEND: the fields to change; null removes the substitute or the address. */
export interface AccountChanges {
  handle?: string | undefined;
  url?: string | null | undefined;
  purpose?: string | undefined;
  audience?: string | undefined;
  ownerUnit?: string | undefined;
  responsible?: Person | undefined;
  substitute?: Person | null | undefined;
  admins?: Person[] | undefined;
  profile?: Partial<Record<ProfileItem, boolean>> | undefined;
}

type Registry = Pick<AccountRow, 'purpose' | 'audience' | 'responsible' | 'substitute' | 'admins' | 'profile'>;

/** What the machine knows of the registry entry: facts, never names or addresses. */
export function accountFacts(entry: Registry): AccountFacts {
  return {
    hasPurpose: Boolean(entry.purpose),
    hasAudience: Boolean(entry.audience),
    hasResponsible: Boolean(entry.responsible?.name),
    hasSubstitute: Boolean(entry.substitute?.name),
    adminCount: entry.admins.length,
    profile: { ...noProfile, ...entry.profile },
  };
}

/** The registry fields the ledger may carry: no names, no e-mail addresses. */
function publicFields(row: Partial<AccountRow>) {
  const fields = ['platform', 'handle', 'url', 'purpose', 'audience', 'ownerUnit', 'profile'] as const;
  return Object.fromEntries(fields.filter((field) => row[field] !== undefined).map((field) => [field, row[field]]));
}

export async function createAccount(
  store: Store,
  cmd: { orgId: string; policy: Policy; actor: Actor; account: NewAccount; now: Date },
): Promise<AccountRow> {
  const at = cmd.now.toISOString();
  const { account } = cmd;
  const registry: Registry = {
    purpose: account.purpose ?? null,
    audience: account.audience ?? null,
    responsible: account.responsible ?? null,
    substitute: account.substitute ?? null,
    admins: account.admins ?? [],
    profile: account.profile ?? {},
  };
  const input = { platform: account.platform, facts: accountFacts(registry), rules: accountRulesOf(cmd.policy) };
  const row = {
    id: newId(cmd.now),
    orgId: cmd.orgId,
    platform: account.platform,
    handle: account.handle,
    url: account.url ?? null,
    ownerUnit: account.ownerUnit ?? null,
    ...registry,
    monitoringCheckedThrough: null,
    createdAt: at,
  };
  return store.writes.run((tx, batch) =>
    startSubject<AccountRow>(tx, batch, {
      subject: 'account', actor: cmd.actor, type: 'PROPOSED', input, now: cmd.now, row, payload: publicFields(row),
    }),
  );
}

export async function findAccount(db: Db | Tx, orgId: string, id: string): Promise<AccountRow | null> {
  const [row] = await db.select().from(accounts).where(and(eq(accounts.id, id), eq(accounts.orgId, orgId)));
  return row ?? null;
}

export function restoreAccount(row: Pick<AccountRow, 'state' | 'context'>): AccountSnapshot {
  return accountStepper.restore({ value: row.state, context: row.context });
}

/** What a client could send now, asked of the machine version the account steps under. */
function allowedAccountEvents(row: AccountRow): string[] {
  const stepper = machineVersion(row.machine)?.stepper;
  return stepper ? stepper.allowed(stepper.restore({ value: row.state, context: row.context })) : [];
}

/** An account event without its instant, which the write path stamps. */
export type AccountStep = AccountMachineEvent extends infer E ? (E extends AccountMachineEvent ? Omit<E, 'at'> : never) : never;

export interface StepCommand {
  orgId: string;
  accountId: string;
  actor: Actor;
  event: AccountStep;
  now: Date;
  ifMatch?: number | null | undefined;
  /** Registry columns that change with the step (AMEND). */
  columns?: Partial<AccountRow> | undefined;
  /** Ledger facts beside the event's own fields (never personal data). */
  annotations?: Record<string, unknown> | undefined;
}

export type StepResult = { ok: true; account: AccountRow } | Failure;

const answer = async (_batch: WriteBatch, row: unknown) => ({ account: row as AccountRow });

function command(cmd: StepCommand): EventCommand {
  const { accountId, event, columns, ...rest } = cmd;
  return { ...rest, subject: 'account', id: accountId, event, ifMatch: cmd.ifMatch ?? null, ...(columns ? { columns } : {}) };
}

/** One account step inside a write transaction, through the one write path (write/apply-event.ts). */
export function stepAccountInTx(tx: Tx, batch: WriteBatch, cmd: StepCommand): Promise<StepResult> {
  return applyEventInTransaction(tx, batch, command(cmd), answer);
}

export function stepAccount(store: Store, cmd: StepCommand): Promise<StepResult> {
  return applyEvent(store, command(cmd), answer);
}

/** A client's account event; the machine version completes what the client may leave out (account.prepare.ts). */
export function applyAccountEvent(
  store: Store,
  cmd: Omit<StepCommand, 'event'> & { policy: Policy; event: AccountEventBody },
): Promise<StepResult> {
  const { policy: _policy, ...rest } = cmd;
  return stepAccount(store, rest as StepCommand);
}

/** AMEND: changes the registry entry; the machine sees the new facts (TI-1, TI-4, AV-3). */
export async function amendAccount(
  store: Store,
  cmd: Omit<StepCommand, 'event' | 'columns'> & { changes: AccountChanges },
): Promise<StepResult> {
  return store.writes.run(async (tx, batch) => {
    const row = await findAccount(tx, cmd.orgId, cmd.accountId);
    if (!row) return notFound('Account');
    const { profile, ...rest } = cmd.changes;
    const columns: Partial<AccountRow> = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    if (profile) columns.profile = { ...row.profile, ...profile };
    const merged = { ...row, ...columns };
    return stepAccountInTx(tx, batch, {
      ...cmd, columns, event: { type: 'AMEND', facts: accountFacts(merged) },
      annotations: { changed: Object.keys(columns).sort(), ...publicFields(columns) },
    });
  });
}

export function accountView(row: AccountRow) {
  const snapshot = restoreAccount(row);
  const context = snapshot.context;
  return {
    id: row.id,
    status: row.status as AccountStatus,
    platform: row.platform,
    handle: row.handle,
    url: row.url,
    purpose: row.purpose,
    audience: row.audience,
    ownerUnit: row.ownerUnit,
    responsible: row.responsible,
    substitute: row.substitute,
    admins: row.admins,
    profile: { ...noProfile, ...row.profile },
    state: row.state,
    version: row.version,
    machine: row.machine,
    allowedEvents: allowedAccountEvents(row),
    flags: {
      review: context.review ?? null,
      snapshotDue: context.snapshotDue ?? null,
      adminsShort: context.adminsShort ?? false,
      surge: context.surge ?? null,
      lastMissedDay: context.lastMissedDay ?? null,
      missedDays: context.missedDays ?? 0,
    },
    approvedAt: context.approvedAt ?? null,
    lastSnapshot: context.lastSnapshot ?? null,
    closing: context.closing ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function accountsInStatus(db: Db, orgId: string, statuses: readonly AccountStatus[]): Promise<AccountRow[]> {
  return db
    .select()
    .from(accounts)
    .where(and(eq(accounts.orgId, orgId), inArray(accounts.status, [...statuses])))
    .orderBy(asc(accounts.id));
}
