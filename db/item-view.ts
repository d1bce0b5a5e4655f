// The item as API.md shows it, built from its row and its content. Pure over its inputs.
import type { Direction, ItemContext, ItemKind } from '../machines/item.machine.ts';
import { itemStepper, type ItemStatus } from '../machines/item.step.ts';
import type { DeadlineView } from './deadlines.ts';
import type { contents, items } from './schema.ts';

export type ItemRow = typeof items.$inferSelect;
type ContentRow = typeof contents.$inferSelect;

export function itemView(row: ItemRow, content: ContentRow | null, deadlines: DeadlineView[]) {
  const context = row.context as ItemContext;
  const snapshot = itemStepper.restore({ value: row.state, context: row.context });
  const body = content?.body ?? null;
  return {
    id: row.id,
    accountId: row.accountId,
    externalId: row.externalId,
    kind: row.kind as ItemKind,
    direction: row.direction as Direction,
    status: row.status as ItemStatus,
    state: row.state,
    version: row.version,
    machine: row.machine,
    receivedAt: row.receivedAt,
    allowedEvents: itemStepper.allowed(snapshot),
    deadlines,
    assessment: context.decision
      ? { decision: context.decision, categories: context.categories, registration: context.registration }
      : null,
    registration: context.registered ? { number: context.registered.number, caseRef: context.registered.caseRef } : null,
    hold: context.hold,
    evidenceCaptured: context.evidence,
    content: body ? { text: String(body.text), author: body.author, url: typeof body.url === 'string' ? body.url : null } : null,
    contentSha256: row.contentHash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export type ItemView = ReturnType<typeof itemView>;
