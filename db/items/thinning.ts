// Thinning (AV-14, TI-13): finding items of temporary value whose time has come, and thinning
// them under one documented decision per batch — the THIN events and the decision record in
// the same transaction, so a decision names exactly the items it thinned.
import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { openRecordStatuses } from '../../machines/item.step.ts';
import { machineVersion } from '../../machines/registry.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { applyInTransaction } from '../write/apply-item-event.ts';
import type { Db, Store } from '../client.ts';
import { newId } from '../ids.ts';
import { systemActor } from '../ledger/ledger.ts';
import type { Organisation } from '../organisations.ts';
import { accounts, items, thinningDecisions } from '../schema.ts';
import { withWholeContexts } from './item-rules.ts';


export interface ThinningGround {
  rule: string;
  reason: string;
  /** Which of the organisation's open items this ground covers. */
  where: SQL;
}

/** The grounds on which the policy thins items of temporary value. */
export function thinningGrounds(policy: Policy, now: Date): ThinningGround[] {
  const grounds: ThinningGround[] = [];
  if (policy.thinning.afterMonths !== null) {
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - policy.thinning.afterMonths);
    grounds.push({
      rule: policy.thinning.rule,
      reason: `Temporary value, received more than ${policy.thinning.afterMonths} months ago`,
      where: lt(items.receivedAt, cutoff.toISOString()),
    });
  }
  // AV-14, TI-13: when the channel is no longer used (closing or closed), its items of temporary
  // value are thinned at once; registered items and items on hold stay (the THIN guard).
  grounds.push({
    rule: policy.thinning.rule,
    reason: 'Temporary value; the channel is no longer used',
    where: sql`${items.accountId} in (select ${accounts.id} from ${accounts} where ${accounts.status} in ('closing', 'closed'))`,
  });
  if (policy.thinning.directMessagesAfterClose) {
    // AV-14: direct messages are thinned right after the conversation has ended.
    grounds.push({
      rule: 'AV-14',
      reason: 'Direct message whose conversation has ended',
      where: and(eq(items.kind, 'direct_message'), sql`json_extract(${items.context}, '$.conversationClosed') = 1`)!,
    });
  }
  return grounds;
}

/** One page of the ground's items after `after` (by id), and those the machine would let THIN now. */
export async function candidatePage(db: Db, orgId: string, ground: ThinningGround, after: string, limit: number) {
  const rows = await withWholeContexts(db, await db
    .select({ id: items.id, machine: items.machine, state: items.state, context: items.context })
    .from(items)
    .where(and(eq(items.orgId, orgId), inArray(items.status, [...openRecordStatuses]), gt(items.id, after), ground.where))
    .orderBy(asc(items.id))
    .limit(limit));
  return {
    lastId: rows.at(-1)?.id ?? null,
    thinnable: rows
      .filter((row) => thinnable(row))
      .map((row) => row.id),
  };
}

/** Whether the item's own machine version would accept a THIN now. */
function thinnable(row: { machine: string; state: unknown; context: unknown }): boolean {
  const stepper = machineVersion(row.machine)?.stepper;
  return stepper ? stepper.step(stepper.restore({ value: row.state, context: row.context }), { type: 'THIN', reason: 'candidate' }).ok : false;
}

/** Thins the items under one decision; returns the decision, or null when none could be thinned. */
export async function thinUnderDecision(
  store: Store,
  cmd: { org: Organisation; ground: ThinningGround; itemIds: string[]; job: string; now: Date },
) {
  const id = newId(cmd.now);
  const reason = `Thinning decision ${id} under ${cmd.ground.rule}: ${cmd.ground.reason}`;
  const decision = {
    id, orgId: cmd.org.id, decidedAt: cmd.now.toISOString(), rule: cmd.ground.rule, preset: cmd.org.preset,
    job: cmd.job, itemIds: [] as string[], reason: cmd.ground.reason,
  };
  return store.writes.run(async (tx, batch) => {
    // The decision is written first; each THIN's thinning-decision effect adds its item to it.
    await tx.insert(thinningDecisions).values(decision);
    const thinned: string[] = [];
    for (const itemId of cmd.itemIds) {
      const result = await applyInTransaction(batch, {
        orgId: cmd.org.id, itemId, actor: systemActor, event: { type: 'THIN', reason }, ifMatch: null,
        idempotency: null, annotations: { decisionId: id, rule: cmd.ground.rule }, now: cmd.now,
      });
      if (result.ok) thinned.push(itemId);
    }
    if (thinned.length === 0) {
      await tx.delete(thinningDecisions).where(eq(thinningDecisions.id, id));
      return null;
    }
    return { ...decision, itemIds: thinned };
  });
}

export async function listThinningDecisions(db: Db, orgId: string, limit: number, before?: string) {
  const rows = await db
    .select()
    .from(thinningDecisions)
    .where(and(eq(thinningDecisions.orgId, orgId), before ? lt(thinningDecisions.id, before) : undefined))
    .orderBy(desc(thinningDecisions.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    decisions: page.map(({ orgId: _org, ...decision }) => decision),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
