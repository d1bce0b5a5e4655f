// Committing one accepted machine step of an item, inside a write transaction: the
// compare-and-set on the item's version, the hash-chained event, the deadline rows, and the
// erasure that THIN orders. Client events, deadline breaches and scheduled thinning all end here.
import { and, eq } from 'drizzle-orm';
import { deadlineChanges } from '../machines/item.deadlines.ts';
import { itemStatus, stepItem, itemStepper, type ItemSnapshot } from '../machines/item.step.ts';
import type { Decision } from '../machines/item.rules.ts';
import type { Policy } from '../machines/policy/policy.schema.ts';
import type { Tx } from './client.ts';
import { eraseItemContents } from './contents.ts';
import { applyDeadlineChanges, markBreached, overdueOpenDeadlines } from './deadlines.ts';
import type { ItemRow } from './item-view.ts';
import { appendEvent, systemActor, type Actor } from './ledger.ts';
import { findOrganisation, policyOf } from './organisations.ts';
import { items } from './schema.ts';

export interface CommitStep {
  row: ItemRow;
  next: ItemSnapshot;
  type: string;
  actor: Actor;
  at: string;
  payload: Record<string, unknown>;
  policy: Policy;
}

export async function commitStep(tx: Tx, step: CommitStep): Promise<ItemRow> {
  const { row, next, at } = step;
  const updated: ItemRow = {
    ...row, status: itemStatus(next), state: next.value, context: next.context, version: row.version + 1, updatedAt: at,
  };
  const written = await tx
    .update(items)
    .set({ status: updated.status, state: updated.state, context: updated.context, version: updated.version, updatedAt: at })
    .where(and(eq(items.id, row.id), eq(items.version, row.version)));
  if (written.rowsAffected !== 1) throw new Error(`item ${row.id} changed under its write transaction`);
  await appendEvent(tx, {
    orgId: row.orgId, subject: 'item', subjectId: row.id, seq: updated.version, type: step.type, actor: step.actor,
    at, machine: row.machine, from: row.state, to: next.value, payload: step.payload,
  });
  const decision = step.type === 'ASSESS' ? (step.payload.decision as Decision) : undefined;
  await applyDeadlineChanges(tx, {
    orgId: row.orgId, itemId: row.id, receivedAt: row.receivedAt, policy: step.policy, at,
    changes: deadlineChanges({ type: step.type, ...(decision ? { decision } : {}) }, row),
  });
  if (step.type === 'THIN') await eraseItemContents(tx, row.id, String(step.payload.reason ?? ''), at);
  return updated;
}

/**
 * Records every deadline of the item that is overdue at `at` as breached: one
 * DEADLINE_BREACHED event from the system actor each, exactly once (the deadline row's
 * status is compared and set in the same transaction as the event).
 */
export async function breachOverdue(tx: Tx, row: ItemRow, policy: Policy, at: string): Promise<{ row: ItemRow; breached: number }> {
  let current = row;
  let breached = 0;
  for (const deadline of await overdueOpenDeadlines(tx, row.id, at)) {
    const outcome = stepItem(itemStepper.restore({ value: current.state, context: current.context }), {
      type: 'DEADLINE_BREACHED', deadline: deadline.kind, dueAt: deadline.dueAt,
    });
    // A thinned item accepts nothing; its deadlines were cancelled when it was thinned.
    if (!outcome.ok || !(await markBreached(tx, row.id, deadline.kind, at))) continue;
    current = await commitStep(tx, {
      row: current, next: outcome.snapshot, type: 'DEADLINE_BREACHED', actor: systemActor, at, policy,
      payload: { deadline: deadline.kind, dueAt: deadline.dueAt },
    });
    breached += 1;
  }
  return { row: current, breached };
}

export async function policyInTx(tx: Tx, orgId: string): Promise<Policy> {
  const org = await findOrganisation(tx, orgId);
  if (!org) throw new Error(`organisation ${orgId} does not exist`);
  return policyOf(org);
}
