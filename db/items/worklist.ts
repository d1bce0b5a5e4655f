// What the officers' pages list: deadlines due by an instant (Today), and items found by the
// filters of the items page, newest first or by received instant either way, a page at a time. Every query starts on an index that
// leads with the organisation (deadlines_org_status_due, items_org_status_id_account, items_org_id), and
// free text goes through the item_text FTS5 index (migration 0004).
import { and, asc, desc, eq, gte, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { isOverdue } from './deadlines.ts';
import { deadlines, items } from '../schema.ts';

/** Deadlines with their item's account and kind, the rows Today lists. */
function deadlinesWithItems(db: Db) {
  return db
    .select({
      itemId: deadlines.itemId, kind: deadlines.kind, dueAt: deadlines.dueAt, status: deadlines.status,
      accountId: items.accountId, itemKind: items.kind,
    })
    .from(deadlines)
    .innerJoin(items, eq(items.id, deadlines.itemId));
}

/**
 * Every deadline past due and not met as of `now` — still open or already breached by the sweep —
 * earliest first, with its item's account and kind. The same test as isOverdue, which
 * GET /v1/items?overdue=true uses, so Today and the API count the same items.
 */
export async function overdueDeadlines(db: Db, orgId: string, now: string, limit: number) {
  return deadlinesWithItems(db)
    .where(and(
      eq(deadlines.orgId, orgId),
      isNull(deadlines.settledAt),
      or(eq(deadlines.status, 'breached'), and(eq(deadlines.status, 'open'), lte(deadlines.dueAt, now))),
    ))
    .orderBy(asc(deadlines.dueAt), asc(deadlines.itemId))
    .limit(limit);
}

/** How many items GET /v1/items?overdue=true lists as of `now` (all its pages). */
export async function countOverdueItems(db: Db, orgId: string, now: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(items).where(and(eq(items.orgId, orgId), isOverdue(now)));
  return Number(row?.n ?? 0);
}

/** Open deadlines due at or before `by`, earliest first, with their item's account and kind. */
export async function openDeadlinesDue(db: Db, orgId: string, by: string, limit: number) {
  return deadlinesWithItems(db)
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
  /**
   * Newest id first (the default, as ingested), or by the instant the platform received the item,
   * either way; ties are broken by id, so the order is total and a page never repeats a row.
   */
  sort?: ItemSort | undefined;
  /** For the received orders: the last row of the previous page; this page starts after it. */
  after?: { receivedAt: string; id: string } | undefined;
}

export const itemSorts = ['received-desc', 'received-asc'] as const;
export type ItemSort = (typeof itemSorts)[number];

/** A received-order cursor as a link carries it: "instant_id". */
export const encodeReceivedCursor = (row: { receivedAt: string; id: string }) => `${row.receivedAt}_${row.id}`;

export function decodeReceivedCursor(text: string): { receivedAt: string; id: string } | null {
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([0-9a-f-]{36})$/.exec(text);
  return match ? { receivedAt: match[1]!, id: match[2]! } : null;
}

/** The words as an FTS5 query of quoted prefixes, so nothing a user types is read as query syntax. */
export function ftsQuery(text: string): string {
  // Control characters separate words too: FTS5 fails on a NUL inside a quoted term (found by the fuzz test).
  const words = text.split(/[\s\p{Cc}]+/u).map((word) => word.replaceAll('"', '')).filter((word) => /[\p{L}\p{N}]/u.test(word));
  return words.length === 0 ? '""' : words.map((word) => `"${word}"*`).join(' ');
}

/**
 * Above this many of the organisation's items in a date range, the page walks the newest ids
 * instead of sorting the range. libSQL is built without STAT4, so SQLite cannot tell a day from a
 * year: it always starts on items_org_received_id and sorts the whole range by id, which took 243 ms
 * for a range of 100,000 items (npm run bench:pages). The count stops at the limit, in the index.
 */
const rangeSortLimit = 5_000;

export async function searchItems(db: Db, orgId: string, filters: ItemFilters, now: Date, limit: number) {
  // In a received order the date range is the index's own order: walked, never sorted whole.
  const wide = filters.sort ? false : await dateRangeIsWide(db, orgId, filters);
  const rows = await itemSearch(db, orgId, filters, now, limit, wide);
  const page = rows.slice(0, limit);
  const more = rows.length > limit && page.length > 0;
  return {
    items: page,
    nextBefore: more && !filters.sort ? page.at(-1)!.id : null,
    nextAfter: more && filters.sort ? encodeReceivedCursor(page.at(-1)!) : null,
  };
}

/** Whether the date filter holds at least rangeSortLimit of the organisation's items. */
export async function dateRangeIsWide(db: Db, orgId: string, { from, to }: Pick<ItemFilters, 'from' | 'to'>): Promise<boolean> {
  if (!from && !to) return false;
  const inRange = db
    .select({ one: sql`1` })
    .from(items)
    .where(and(eq(items.orgId, orgId), from ? gte(items.receivedAt, from) : undefined, to ? lt(items.receivedAt, to) : undefined))
    .limit(rangeSortLimit)
    .as('in_range');
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(inRange);
  return Number(row?.n ?? 0) >= rangeSortLimit;
}

/**
 * The page's query, newest id first, one row more than `limit` to tell whether a page follows.
 * `wideRange`: the date terms are written so that no index serves them (`+received_at`), and
 * SQLite walks the ids down until the page is full.
 */
export function itemSearch(db: Db, orgId: string, filters: ItemFilters, now: Date, limit: number, wideRange: boolean) {
  const receivedAt = wideRange ? sql`+${items.receivedAt}` : sql`${items.receivedAt}`;
  const where: (SQL | undefined)[] = [
    eq(items.orgId, orgId),
    filters.status ? eq(items.status, filters.status) : undefined,
    filters.accountId ? eq(items.accountId, filters.accountId) : undefined,
    filters.kind ? eq(items.kind, filters.kind) : undefined,
    filters.direction ? eq(items.direction, filters.direction) : undefined,
    filters.overdue ? isOverdue(now.toISOString()) : undefined,
    filters.from ? gte(receivedAt, filters.from) : undefined,
    filters.to ? lt(receivedAt, filters.to) : undefined,
    filters.before && !filters.sort ? lt(items.id, filters.before) : undefined,
    filters.sort && filters.after ? afterCursor(filters.sort, filters.after) : undefined,
    filters.text
      ? sql`${items.id} in (select item_id from item_text where item_text match ${ftsQuery(filters.text)} and org_id = ${orgId})`
      : undefined,
  ];
  return db
    .select({
      id: items.id, accountId: items.accountId, kind: items.kind, direction: items.direction, status: items.status,
      receivedAt: items.receivedAt, version: items.version,
    })
    .from(items)
    .where(and(...where))
    .orderBy(...orderOf(filters.sort))
    .limit(limit + 1);
}

function orderOf(sort: ItemSort | undefined) {
  if (sort === 'received-asc') return [asc(items.receivedAt), asc(items.id)];
  if (sort === 'received-desc') return [desc(items.receivedAt), desc(items.id)];
  return [desc(items.id)];
}

/** The rows after the cursor in the sort's order, as one row-value comparison SQLite can seek on. */
function afterCursor(sort: ItemSort, after: { receivedAt: string; id: string }) {
  return sort === 'received-asc'
    ? sql`(${items.receivedAt}, ${items.id}) > (${after.receivedAt}, ${after.id})`
    : sql`(${items.receivedAt}, ${items.id}) < (${after.receivedAt}, ${after.id})`;
}
