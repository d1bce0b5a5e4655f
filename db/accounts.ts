// Accounts (official channels): create, step through account@1, read, and the public register.
import { and, asc, eq } from 'drizzle-orm';
import {
  accountMachineVersion, accountStatus, accountStepper, type AccountStatus, startAccount, type AccountInput, type AccountMachineEvent,
} from '../machines/account.machine.ts';
import type { Policy } from '../machines/policy/policy.schema.ts';
import type { Db, Store } from './client.ts';
import { newId } from './ids.ts';
import { appendEvent, type Actor } from './ledger.ts';
import { notFound, type Failure } from './outcome.ts';
import { accounts, type Person } from './schema.ts';

export type AccountRow = typeof accounts.$inferSelect;

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
}

function accountInput(account: NewAccount, policy: Policy): AccountInput {
  return {
    platform: account.platform,
    hasPurpose: Boolean(account.purpose),
    hasAudience: Boolean(account.audience),
    hasResponsible: Boolean(account.responsible?.name),
    hasSubstitute: Boolean(account.substitute?.name),
    adminCount: account.admins?.length ?? 0,
    approvalRule: policy.accounts.approvalRule,
    requireSubstitute: policy.accounts.requireSubstitute,
    minAdmins: policy.accounts.minAdmins,
    minAdminsRule: policy.accounts.minAdminsRule,
  };
}

export async function createAccount(
  store: Store,
  cmd: { orgId: string; policy: Policy; actor: Actor; account: NewAccount; now: Date },
): Promise<AccountRow> {
  const at = cmd.now.toISOString();
  const snapshot = startAccount(accountInput(cmd.account, cmd.policy));
  const { account } = cmd;
  const row: AccountRow = {
    id: newId(cmd.now),
    orgId: cmd.orgId,
    platform: account.platform,
    handle: account.handle,
    url: account.url ?? null,
    purpose: account.purpose ?? null,
    audience: account.audience ?? null,
    ownerUnit: account.ownerUnit ?? null,
    responsible: account.responsible ?? null,
    substitute: account.substitute ?? null,
    admins: account.admins ?? [],
    status: accountStatus(snapshot),
    machine: accountMachineVersion,
    state: snapshot.value,
    context: snapshot.context,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return store.writes.run(async (tx) => {
    await tx.insert(accounts).values(row);
    await appendEvent(tx, {
      orgId: cmd.orgId, subject: 'account', subjectId: row.id, seq: 1, type: 'PROPOSED', actor: cmd.actor, at,
      machine: accountMachineVersion, from: null, to: snapshot.value,
      // Names and e-mail addresses stay out of the ledger; the facts approval depends on go in.
      payload: {
        platform: row.platform, handle: row.handle, url: row.url, purpose: row.purpose, audience: row.audience,
        ownerUnit: row.ownerUnit, input: snapshot.context,
      },
    });
    return row;
  });
}

export async function applyAccountEvent(
  store: Store,
  cmd: { orgId: string; accountId: string; actor: Actor; event: AccountMachineEvent; now: Date },
): Promise<{ ok: true; account: AccountRow } | Failure> {
  const at = cmd.now.toISOString();
  return store.writes.run(async (tx) => {
    const [row] = await tx.select().from(accounts).where(and(eq(accounts.id, cmd.accountId), eq(accounts.orgId, cmd.orgId)));
    if (!row) return notFound('Account');
    const snapshot = accountStepper.restore({ value: row.state, context: row.context });
    const outcome = accountStepper.step(snapshot, cmd.event);
    if (!outcome.ok) return outcome;
    const next = outcome.snapshot;
    const updated: AccountRow = {
      ...row, status: accountStatus(next), state: next.value, context: next.context, version: row.version + 1, updatedAt: at,
    };
    await tx
      .update(accounts)
      .set({ status: updated.status, state: updated.state, context: updated.context, version: updated.version, updatedAt: at })
      .where(eq(accounts.id, row.id));
    await appendEvent(tx, {
      orgId: cmd.orgId, subject: 'account', subjectId: row.id, seq: updated.version, type: cmd.event.type,
      actor: cmd.actor, at, machine: row.machine, from: row.state, to: next.value, payload: {},
    });
    return { ok: true, account: updated } as const;
  });
}

export async function findAccount(db: Db, orgId: string, id: string): Promise<AccountRow | null> {
  const [row] = await db.select().from(accounts).where(and(eq(accounts.id, id), eq(accounts.orgId, orgId)));
  return row ?? null;
}

export function accountView(row: AccountRow) {
  const snapshot = accountStepper.restore({ value: row.state, context: row.context });
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
    version: row.version,
    machine: row.machine,
    allowedEvents: accountStepper.allowed(snapshot),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** TI-3, UP-6, AV-2: the public channel register — active accounts only, never e-mail addresses. */
export async function listChannels(db: Db, orgId: string) {
  const rows = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.orgId, orgId), eq(accounts.status, 'active')))
    .orderBy(asc(accounts.id));
  return rows.map((row) => ({
    id: row.id,
    platform: row.platform,
    handle: row.handle,
    url: row.url,
    purpose: row.purpose,
    audience: row.audience,
    ownerUnit: row.ownerUnit,
    responsible: row.responsible ? { name: row.responsible.name } : null,
  }));
}
