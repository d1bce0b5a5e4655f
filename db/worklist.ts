// What the officers' pages list: deadlines due by an instant (Today), and items found by the
// filters of the items page, newest first, a page at a time. Every query starts on an index that
// leads with the organisation (deadlines_org_status_due, items_org_status_id, items_org_id), and
// free text goes through the item_text FTS5 index (migration 0004).
import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';
import { isOverdue } from './deadlines.ts';
import { deadlines, items } from './schema.ts';

/** Open deadlines due at or before `by`, earliest first, with their item's account and kind. */
export async function openDeadlinesDue(db: Db, orgId: string, by: string, limit: number) {
  return db
    .select({
      itemId: deadlines.itemId, kind: deadlines.kind, dueAt: deadlines.dueAt, status: deadlines.status,
      accountId: items.accountId, itemKind: items.kind,
    })
    .from(deadlines)
    .innerJoin(items, eq(items.id, deadlines.itemId))
    .where(and(eq(deadlines.orgId, orgId), eq(deadlines.status, 'open'), lte(deadlines.dueAt, by)))
    .orderBy(asc(deadlines.dueAt))
    .limit(limit);
}

export interface ItemFilters {
  status?: string | undefined;
  accountId?: string | undefined;
  kind?: string | undefined;
  direction?: string | undefined;
  overdue?: boolean | undefined;
  /** receivedAt ≥ from and < to (ISO instants). */
  from?: string | undefined;
  to?: string | undefined;
  /** Words in the item's text: every word, as a word or the start of one; case and accents ignored. */
  text?: string | undefined;
  /** The last id of the previous page: this page has the older ones. */
  before?: string | undefined;
}

/** The words as an FTS5 query of quoted prefixes, so nothing a user types is read as query syntax. */
export function ftsQuery(text: string): string {
  // Control characters separate words too: FTS5 fails on a NUL inside a quoted term (found by the fuzz test).
  const words = text.split(/[\s\p{Cc}]+/u).map((word) => word.replaceAll('"', '')).filter((word) => /[\p{L}\p{N}]/u.test(word));
  return words.length === 0 ? '""' : words.map((word) => `"${word}"*`).join(' ');
}

export async function searchItems(db: Db, orgId: string, filters: ItemFilters, now: Date, limit: number) {
  const where: (SQL | undefined)[] = [
    eq(items.orgId, orgId),
    filters.status ? eq(items.status, filters.status) : undefined,
    filters.accountId ? eq(items.accountId, filters.accountId) : undefined,
    filters.kind ? eq(items.kind, filters.kind) : undefined,
    filters.direction ? eq(items.direction, filters.direction) : undefined,
    filters.overdue ? isOverdue(now.toISOString()) : undefined,
    filters.from ? gte(items.receivedAt, filters.from) : undefined,
    filters.to ? lt(items.receivedAt, filters.to) : undefined,
    filters.before ? lt(items.id, filters.before) : undefined,
    filters.text
      ? sql`${items.id} in (select item_id from item_text where item_text match ${ftsQuery(filters.text)} and org_id = ${orgId})`
      : undefined,
  ];
  const rows = await db
    .select({
      id: items.id, accountId: items.accountId, kind: items.kind, direction: items.direction, status: items.status,
      receivedAt: items.receivedAt, version: items.version,
    })
    .from(items)
    .where(and(...where))
    .orderBy(desc(items.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { items: page, nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
