// Accounts (official channels): propose, amend, step through account@2, read. Every change is a
// machine step committed with its hash-chained event in one transaction; client events, the
// schedules' flags and snapshot uploads all end in commitAccountStep.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AccountEventBody, AccountMachineEvent } from '../../machines/account.events.ts';
import { accountMachineVersion, type AccountStatus } from '../../machines/account.machine.ts';
import { accountRulesOf, noProfile, type AccountFacts } from '../../machines/account.rules.ts';
import { accountStatus, accountStepper, startAccount, type AccountSnapshot } from '../../machines/account.step.ts';
import { localDate } from '../../machines/policy/calendar.ts';
import type { Policy, ProfileItem } from '../../machines/policy/policy.schema.ts';
import type { Db, Store, Tx } from '../client.ts';
import { newId } from '../ids.ts';
import { appendEvent, type Actor } from '../ledger/ledger.ts';
import type { WriteBatch } from '../write/write-batch.ts';
import { notFound, type Failure } from '../write/outcome.ts';
import { accounts, monitoringDays, type Person } from '../schema.ts';

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
  const snapshot = startAccount({ platform: account.platform, facts: accountFacts(registry), rules: accountRulesOf(cmd.policy) });
  const row: AccountRow = {
    id: newId(cmd.now),
    orgId: cmd.orgId,
    platform: account.platform,
    handle: account.handle,
    url: account.url ?? null,
    ownerUnit: account.ownerUnit ?? null,
    ...registry,
    monitoringCheckedThrough: null,
    status: accountStatus(snapshot),
    machine: accountMachineVersion,
    state: snapshot.value,
    context: snapshot.context,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return store.writes.run(async (tx, batch) => {
    await tx.insert(accounts).values(row);
    await appendEvent(batch, {
      orgId: cmd.orgId, subject: 'account', subjectId: row.id, seq: 1, type: 'PROPOSED', actor: cmd.actor, at,
      machine: accountMachineVersion, from: null, to: snapshot.value,
      payload: { ...publicFields(row), input: { platform: row.platform, facts: snapshot.context.facts, rules: snapshot.context.rules } },
    });
    return row;
  });
}

export async function findAccount(db: Db | Tx, orgId: string, id: string): Promise<AccountRow | null> {
  const [row] = await db.select().from(accounts).where(and(eq(accounts.id, id), eq(accounts.orgId, orgId)));
  return row ?? null;
}

export function restoreAccount(row: Pick<AccountRow, 'state' | 'context'>): AccountSnapshot {
  return accountStepper.restore({ value: row.state, context: row.context });
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

/** One account step inside a write transaction: If-Match, the machine, the row's compare-and-set, the event. */
export async function stepAccountInTx(tx: Tx, batch: WriteBatch, cmd: StepCommand): Promise<StepResult> {
  const row = await findAccount(tx, cmd.orgId, cmd.accountId);
  if (!row) return notFound('Account');
  if (cmd.ifMatch != null && cmd.ifMatch !== row.version) {
    return { ok: false, code: 'precondition_failed', detail: `The account is at version ${row.version}, not ${cmd.ifMatch}.`, current: row.version };
  }
  const at = cmd.now.toISOString();
  const event = { ...cmd.event, at } as AccountMachineEvent;
  const outcome = accountStepper.step(restoreAccount(row), event);
  if (!outcome.ok) return outcome;
  const next = outcome.snapshot;
  const updated: AccountRow = {
    ...row, ...cmd.columns, status: accountStatus(next), state: next.value, context: next.context, version: row.version + 1, updatedAt: at,
  };
  const written = await tx
    .update(accounts)
    .set({ ...cmd.columns, status: updated.status, state: updated.state, context: updated.context, version: updated.version, updatedAt: at })
    .where(and(eq(accounts.id, row.id), eq(accounts.version, row.version)));
  if (written.rowsAffected !== 1) throw new Error(`account ${row.id} changed under its write transaction`);
  const { type, at: _at, ...fields } = event;
  await appendEvent(batch, {
    orgId: cmd.orgId, subject: 'account', subjectId: row.id, seq: updated.version, type, actor: cmd.actor, at,
    machine: row.machine, from: row.state, to: next.value, payload: { ...fields, ...cmd.annotations },
  });
  return { ok: true, account: updated };
}

export function stepAccount(store: Store, cmd: StepCommand): Promise<StepResult> {
  return store.writes.run((tx, batch) => stepAccountInTx(tx, batch, cmd));
}

/** A client's account event, completed where the client may leave a value out. */
export async function applyAccountEvent(
  store: Store,
  cmd: Omit<StepCommand, 'event'> & { policy: Policy; event: AccountEventBody },
): Promise<StepResult> {
  const { event } = cmd;
  if (event.type === 'MONITORED') {
    const today = localDate(cmd.policy, cmd.now);
    const day = event.day || today;
    if (day > today) return { ok: false, code: 'invalid', detail: `The day ${day} has not begun in ${cmd.policy.timeZone}.` };
    return store.writes.run(async (tx, batch) => {
      const result = await stepAccountInTx(tx, batch, { ...cmd, event: { type: 'MONITORED', day } });
      // AV-6, TI-2: the day counts as watched; a day already judged missed stays missed.
      if (result.ok) {
        await tx.insert(monitoringDays)
          .values({ accountId: cmd.accountId, day, status: 'monitored', recordedAt: cmd.now.toISOString() })
          .onConflictDoNothing();
      }
      return result;
    });
  }
  if (event.type === 'SNAPSHOT') {
    const takenAt = new Date(event.takenAt);
    if (takenAt > cmd.now) return { ok: false, code: 'invalid', detail: 'takenAt is in the future.' };
    return stepAccount(store, { ...cmd, event: { ...event, takenAt: takenAt.toISOString() } });
  }
  return stepAccount(store, { ...cmd, event });
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
    allowedEvents: row.machine === accountMachineVersion ? accountStepper.allowed(snapshot) : [],
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
