// An organisation's policy versions: the one in force, every version with who set it and when,
// and a change. A change is accepted under If-Match on the version, holds from the instant it is
// accepted, and is a link of the organisation's hash chain (subject 'policy', seq = version; the
// first change also chains version 1, so the chain holds every version from the first change on).
// The link carries the policy's hash, and the policy itself only when it is small. Live accounts
// take the new account rules in the same transaction.
import { and, asc, eq, ne } from 'drizzle-orm';
import { accountMachineVersion } from '../../machines/account.machine.ts';
import { accountRulesOf } from '../../machines/account.rules.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import type { Db, Store, Tx } from '../client.ts';
import { commitMigration } from '../write/apply-event.ts';
import type { SteppedRow } from '../write/subjects.ts';
import type { WriteBatch } from '../write/write-batch.ts';
import { appendEvent, type Actor } from '../ledger/ledger.ts';
import { canonicalJson } from '../ledger/hashing.ts';
import { findOrganisation, policyHash, policyOf, type Organisation } from '../organisations.ts';
import { accounts, organisations, policyVersions } from '../schema.ts';

export interface PolicyVersionSummary {
  version: number;
  effectiveFrom: string;
  hash: string;
  changedBy: { keyId: string | null; role: string };
  source: string;
}

export interface CurrentPolicy {
  version: number;
  effectiveFrom: string;
  policy: Policy;
}

/** A policy larger than this (canonical JSON) is chained by its hash alone; the versions table keeps it whole. */
export const inlinePolicyBytes = 8 * 1024;

export async function currentPolicy(db: Db, org: Organisation): Promise<CurrentPolicy> {
  const [row] = await db.select({ effectiveFrom: policyVersions.effectiveFrom }).from(policyVersions)
    .where(and(eq(policyVersions.orgId, org.id), eq(policyVersions.version, org.policyVersion)));
  // An organisation made before policy versions has its version 1 from its creation on.
  return { version: org.policyVersion, effectiveFrom: row?.effectiveFrom ?? org.createdAt, policy: policyOf(org) };
}

export async function listPolicyVersions(db: Db, org: Organisation): Promise<PolicyVersionSummary[]> {
  const rows = await db.select().from(policyVersions).where(eq(policyVersions.orgId, org.id)).orderBy(asc(policyVersions.version));
  const listed = rows.map((row) => ({
    version: row.version, effectiveFrom: row.effectiveFrom, hash: row.hash, changedBy: { keyId: row.changedByKeyId, role: row.changedByRole }, source: row.source,
  }));
  if (listed[0]?.version === 1) return listed;
  const first = policyOf({ ...org, policy: null });
  return [{ version: 1, effectiveFrom: org.createdAt, hash: policyHash(first), changedBy: { keyId: null, role: 'system' }, source: org.preset }, ...listed];
}

/** One version whole, or null. */
export async function policyVersion(db: Db, org: Organisation, version: number): Promise<CurrentPolicy | null> {
  const [row] = await db.select().from(policyVersions).where(and(eq(policyVersions.orgId, org.id), eq(policyVersions.version, version)));
  if (row) return { version, effectiveFrom: row.effectiveFrom, policy: row.policy as Policy };
  if (version === 1 && org.policyVersion >= 1) return { version: 1, effectiveFrom: org.createdAt, policy: policyOf({ ...org, policy: null }) };
  return null;
}

export type ChangePolicyResult =
  | { ok: true; current: CurrentPolicy }
  | { ok: false; code: 'not_found'; detail: string }
  | { ok: false; code: 'precondition_failed'; detail: string; current: number };

/** Makes `policy` the organisation's next version, if `ifMatch` is the version in force. */
export async function changePolicy(
  store: Store,
  cmd: { orgId: string; policy: Policy; source: string; ifMatch: number; actor: Actor; now: Date },
): Promise<ChangePolicyResult> {
  const at = cmd.now.toISOString();
  return store.writes.run(async (tx, batch) => {
    const org = await findOrganisation(tx, cmd.orgId);
    if (!org) return { ok: false, code: 'not_found', detail: 'Organisation not found.' } as const;
    if (org.policyVersion !== cmd.ifMatch) {
      return { ok: false, code: 'precondition_failed', detail: `The policy is at version ${org.policyVersion}, not ${cmd.ifMatch}.`, current: org.policyVersion } as const;
    }
    const version = org.policyVersion + 1;
    const first = version === 2 ? await policyVersion(tx as unknown as Db, org, 1) : null;
    // The row moves first, so every link below (read through the batch after it) records the new version.
    await tx.insert(policyVersions).values({
      orgId: org.id, version, effectiveFrom: at, policy: cmd.policy, hash: policyHash(cmd.policy),
      changedByKeyId: cmd.actor.keyId, changedByRole: cmd.actor.role, source: cmd.source,
    });
    const moved = await tx.update(organisations).set({ policy: cmd.policy, policyVersion: version })
      .where(and(eq(organisations.id, org.id), eq(organisations.policyVersion, org.policyVersion))).returning({ id: organisations.id });
    if (moved.length !== 1) throw new Error('policy version moved during the transaction');
    // The first change chains the version it replaces, so the chain starts from a known policy.
    if (first) await appendEvent(batch, policyLink(org.id, 1, first.policy, first.effectiveFrom, org.preset, { keyId: null, role: 'system' }, at));
    await appendEvent(batch, policyLink(org.id, version, cmd.policy, at, cmd.source, cmd.actor, at));
    await applyAccountRules(tx, batch, org.id, cmd.policy, version, cmd.now);
    return { ok: true, current: { version, effectiveFrom: at, policy: cmd.policy } } as const;
  });
}

/**
 * Live accounts take the new version's account rules at once (TI-4's minimum, TI-1's substitute,
 * the profile checklist): one POLICY_APPLIED link each, carrying the new context, which replay
 * restores. The schedules then flag what falls short (admin-check). Items keep the rules of their receipt.
 */
async function applyAccountRules(tx: Tx, batch: WriteBatch, orgId: string, policy: Policy, version: number, now: Date): Promise<void> {
  const rules = accountRulesOf(policy);
  const live = await tx.select().from(accounts)
    .where(and(eq(accounts.orgId, orgId), eq(accounts.machine, accountMachineVersion), ne(accounts.status, 'closed')));
  for (const row of live) {
    const context = row.context as { rules: unknown };
    if (canonicalJson(context.rules) === canonicalJson(rules)) continue;
    await commitMigration(tx, batch, {
      subject: 'account', row: row as unknown as SteppedRow, to: accountMachineVersion, type: 'POLICY_APPLIED',
      next: { value: row.state, context: { ...context, rules } }, payload: { policyVersion: version }, now,
    });
  }
}

function policyLink(orgId: string, version: number, policy: Policy, effectiveFrom: string, source: string, actor: Actor, at: string) {
  const text = canonicalJson(policy);
  const inline = Buffer.byteLength(text) <= inlinePolicyBytes;
  return {
    orgId, subject: 'policy' as const, subjectId: orgId, seq: version, type: version === 1 ? 'POLICY_ADOPTED' : 'POLICY_CHANGED', actor, at,
    machine: 'policy', from: version === 1 ? null : { version: version - 1 }, to: { version }, policyVersion: version,
    payload: { version, effectiveFrom, source, hash: policyHash(policy), bytes: Buffer.byteLength(text), ...(inline ? { policy } : {}) },
  };
}
