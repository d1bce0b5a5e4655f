// Committing one accepted machine step of an item, inside a write transaction: the
// item's new version, the hash-chained event, the deadline rows, and the
// erasure that THIN orders. Client events, deadline breaches and scheduled thinning all end here.
import { deadlineChanges } from '../../machines/item.deadlines.ts';
import { itemStatus, stepItem, itemStepper, type ItemSnapshot } from '../../machines/item.step.ts';
import type { Decision } from '../../machines/item.rules.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { eraseItemContents } from '../items/contents.ts';
import { applyDeadlineChanges, markBreached, overdueOpenDeadlines } from '../items/deadlines.ts';
import type { ItemRow } from '../items/item-view.ts';
import { appendEvent, systemActor, type Actor } from '../ledger/ledger.ts';
import type { WriteBatch } from './write-batch.ts';

export interface CommitStep {
  row: ItemRow;
  next: ItemSnapshot;
  type: string;
  actor: Actor;
  at: string;
  payload: Record<string, unknown>;
  policy: Policy;
}

export async function commitStep(batch: WriteBatch, step: CommitStep): Promise<ItemRow> {
  const { row, next, at } = step;
  const updated: ItemRow = {
    ...row, status: itemStatus(next), state: next.value, context: next.context, version: row.version + 1, updatedAt: at,
  };
  batch.putItem(updated);
  await appendEvent(batch, {
    orgId: row.orgId, subject: 'item', subjectId: row.id, seq: updated.version, type: step.type, actor: step.actor,
    at, machine: row.machine, from: row.state, to: next.value, payload: step.payload,
  });
  const decision = step.type === 'ASSESS' ? (step.payload.decision as Decision) : undefined;
  await applyDeadlineChanges(batch, {
    orgId: row.orgId, itemId: row.id, receivedAt: row.receivedAt, policy: step.policy, at,
    changes: deadlineChanges({ type: step.type, ...(decision ? { decision } : {}) }, row),
  });
  if (step.type === 'THIN') await eraseItemContents(batch, row.id, String(step.payload.reason ?? ''), at);
  return updated;
}

/**
 * Records every deadline of the item that is overdue at `at` as breached: one
 * DEADLINE_BREACHED event from the system actor each, exactly once (the deadline row's
 * status is compared and set in the same transaction as the event).
 */
export async function breachOverdue(batch: WriteBatch, row: ItemRow, policy: Policy, at: string): Promise<{ row: ItemRow; breached: number }> {
  let current = row;
  let breached = 0;
  for (const deadline of await overdueOpenDeadlines(batch, row.id, at)) {
    const outcome = stepItem(itemStepper.restore({ value: current.state, context: current.context }), {
      type: 'DEADLINE_BREACHED', deadline: deadline.kind, dueAt: deadline.dueAt,
    });
    // A thinned item accepts nothing; its deadlines were cancelled when it was thinned.
    if (!outcome.ok || !(await markBreached(batch, row.id, deadline.kind, at))) continue;
    current = await commitStep(batch, {
      row: current, next: outcome.snapshot, type: 'DEADLINE_BREACHED', actor: systemActor, at, policy,
      payload: { deadline: deadline.kind, dueAt: deadline.dueAt },
    });
    breached += 1;
  }
  return { row: current, breached };
}
