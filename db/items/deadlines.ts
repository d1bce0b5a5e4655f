// Deadline rows: opened, met and cancelled by the write path as item events are accepted,
// breached exactly once (compare-and-set on status) by whoever observes them overdue first.
// A deadline is settled when met or cancelled; overdue means unsettled and past due.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DeadlineChange } from '../../machines/item.deadlines.ts';
import { dueAt } from '../../machines/policy/calendar.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import type { Db, Tx } from '../client.ts';
import type { WriteBatch } from '../write/write-batch.ts';
import { deadlines } from '../schema.ts';

export type DeadlineRow = typeof deadlines.$inferSelect;
export type DeadlineView = { kind: string; dueAt: string; status: string };

/** Due instants run from receipt: AV-6, TI-6 and TI-14 all count from when the item arrived. */
export async function applyDeadlineChanges(
  batch: WriteBatch,
  cmd: { orgId: string; itemId: string; receivedAt: string; policy: Policy; changes: DeadlineChange[]; at: string },
) {
  for (const { kind, change } of cmd.changes) {
    const row = (await batch.deadlines(cmd.itemId)).find((d) => d.kind === kind);
    if (change === 'open') {
      // A cancelled deadline that applies again reopens; a met or breached one is history and stays.
      if (row && row.status !== 'cancelled') continue;
      const due = dueAt(cmd.policy, new Date(cmd.receivedAt), cmd.policy.windows[kind]).toISOString();
      batch.putDeadline({
        itemId: cmd.itemId, kind, orgId: cmd.orgId, dueAt: due, status: 'open', openedAt: cmd.at, breachedAt: row?.breachedAt ?? null, settledAt: null,
      });
    } else if (row && row.settledAt === null && (row.status === 'open' || row.status === 'breached')) {
      // A breached deadline met late stays breached; it is settled all the same.
      const settled = change === 'meet' ? 'met' : 'cancelled';
      batch.putDeadline({ ...row, status: row.status === 'open' ? settled : row.status, settledAt: cmd.at });
    }
  }
}

/** Unsettled open deadlines of one item whose due instant is at or before `now`, earliest first. */
export async function overdueOpenDeadlines(batch: WriteBatch, itemId: string, now: string): Promise<DeadlineRow[]> {
  return (await batch.deadlines(itemId))
    .filter((d) => d.status === 'open' && d.dueAt <= now)
    .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
}

/** open → breached, once: false when it is no longer open (another writer got there first). */
export async function markBreached(batch: WriteBatch, itemId: string, kind: string, at: string): Promise<boolean> {
  const row = (await batch.deadlines(itemId)).find((d) => d.kind === kind);
  if (row?.status !== 'open') return false;
  batch.putDeadline({ ...row, status: 'breached', breachedAt: at });
  return true;
}

/** The API's view of an item's deadlines, by due instant then kind (as deadlinesOf orders them). */
export function deadlineViews(rows: readonly DeadlineRow[]): DeadlineView[] {
  return [...rows]
    .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
    .map(({ kind, dueAt, status }) => ({ kind, dueAt, status }));
}

export async function deadlinesOf(db: Db | Tx, itemIds: string[]): Promise<Map<string, DeadlineView[]>> {
  const byItem = new Map<string, DeadlineView[]>();
  if (itemIds.length === 0) return byItem;
  const rows = await db
    .select({ itemId: deadlines.itemId, kind: deadlines.kind, dueAt: deadlines.dueAt, status: deadlines.status })
    .from(deadlines)
    .where(inArray(deadlines.itemId, itemIds))
    .orderBy(asc(deadlines.dueAt), asc(deadlines.kind));
  for (const { itemId, ...view } of rows) byItem.set(itemId, [...(byItem.get(itemId) ?? []), view]);
  return byItem;
}

/** SQL: the item (aliased `items`) has an unsettled deadline past due as of `now`. */
export function isOverdue(now: string) {
  return sql`exists (select 1 from ${deadlines} where ${deadlines.itemId} = "items"."id" and ${overdueDeadline(now)})`;
}

/** SQL: the deadline (of `deadlines`) is unsettled and past due as of `now`: breached, or open and due. */
export function overdueDeadline(now: string) {
  return sql`${deadlines.settledAt} is null and (${deadlines.status} = 'breached' or (${deadlines.status} = 'open' and ${deadlines.dueAt} <= ${now}))`;
}

export interface DeadlineQuery {
  status?: string | undefined;
  kind?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** A page of the organisation's deadlines by due instant; the cursor is opaque to clients. */
export async function listDeadlines(db: Db, orgId: string, query: DeadlineQuery) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await db
    .select()
    .from(deadlines)
    .where(
      and(
        eq(deadlines.orgId, orgId),
        query.status ? eq(deadlines.status, query.status) : undefined,
        query.kind ? eq(deadlines.kind, query.kind) : undefined,
        after ? sql`(${deadlines.dueAt}, ${deadlines.itemId}, ${deadlines.kind}) > (${after[0]}, ${after[1]}, ${after[2]})` : undefined,
      ),
    )
    .orderBy(asc(deadlines.dueAt), asc(deadlines.itemId), asc(deadlines.kind))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    deadlines: page.map((row) => ({
      itemId: row.itemId, kind: row.kind, dueAt: row.dueAt, status: row.status, breachedAt: row.breachedAt, settledAt: row.settledAt,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.dueAt, last.itemId, last.kind]) : null,
  };
}

function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** null for anything that is not a cursor we issued: the caller treats it as bad input. */
export function decodeCursor(cursor: string): [string, string, string] | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === 3 && parts.every((p) => typeof p === 'string')) return parts as [string, string, string];
  } catch {
    // fall through
  }
  return null;
}
