// What a delivery to the archive holds, read from the database in pages: the plan (every item of
// the period that is registered or thinned, in the order the package lists them) and then the
// full records page by page, so memory stays flat however many items the period has.
// Only the given organisation's rows are read.
import { and, asc, eq, gte, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { registeringEvents, thinningEvents } from '../../machines/item.records-events.ts';
import type { Db } from '../client.ts';
import { rowToEvent, type ChainedEvent } from '../ledger/ledger.ts';
import { accounts, contents, items, ledgerEvents, thinningDecisions } from '../schema.ts';

export interface ArchiveRange {
  from: string;
  to: string;
  accountId?: string | undefined;
}

/** One item in the plan: enough to place it in the structure without its content. */
export interface PlannedItem {
  id: string;
  accountId: string;
  receivedAt: string;
  /** 'case' items are filed into their case; 'channel' ones into a folder per channel and year. */
  folder: string;
  kind: 'registered' | 'thinned';
  caseRef: string | null;
}

export interface ArchiveChannel {
  id: string;
  platform: string;
  handle: string;
  url: string | null;
  ownerUnit: string | null;
  purpose: string | null;
  createdAt: string;
}

export interface ArchiveDocument {
  hash: string;
  role: string;
  createdAt: string;
  body: Record<string, unknown>;
}

export interface ArchiveItem {
  id: string;
  accountId: string;
  externalId: string;
  kind: string;
  direction: string;
  receivedAt: string;
  status: string;
  categories: string[];
  registered: { number: string; caseRef: string | null; at: string; by: string } | null;
  /** When and under which rule the item was thinned; never the reason text, which may name people. */
  thinned: { at: string; rule: string; by: string } | null;
  /** The item as received; null once thinned. */
  content: { text: string; author: { handle?: string; name?: string }; url: string | null } | null;
  /** Evidence captures and texts of events that are still held (none once thinned). */
  documents: ArchiveDocument[];
  events: ChainedEvent[];
}

export interface ArchivePlan {
  items: PlannedItem[];
  channels: ArchiveChannel[];
  registered: number;
  thinned: number;
}

/** The item's folder key: its case where it was registered into one, else its channel and year. */
function folderOf(row: { accountId: string; receivedAt: string; caseRef: string | null; kind: 'registered' | 'thinned' }): string {
  const year = row.receivedAt.slice(0, 4);
  if (row.kind === 'thinned') return `thinned:${row.accountId}:${year}`;
  return row.caseRef ? `case:${row.caseRef}` : `channel:${row.accountId}:${year}`;
}

export async function planArchive(db: Db, orgId: string, range: ArchiveRange): Promise<ArchivePlan> {
  // As JSON (`->`), parsed below: SQLite's decoding of an escaped lone surrogate is not UTF-8 (list-details.ts).
  const caseRef = sql<string | null>`${items.context} -> '$.registered.caseRef'`;
  const filters = [
    eq(items.orgId, orgId), gte(items.receivedAt, range.from), lt(items.receivedAt, range.to),
    or(eq(items.status, 'thinned'), isNotNull(sql`json_extract(${items.context}, '$.registered')`)),
  ];
  if (range.accountId) filters.push(eq(items.accountId, range.accountId));
  const rows = await db
    .select({ id: items.id, accountId: items.accountId, receivedAt: items.receivedAt, status: items.status, caseRef })
    .from(items)
    .where(and(...filters))
    .orderBy(asc(items.receivedAt), asc(items.id));

  const planned: PlannedItem[] = rows.map((row) => {
    const kind = row.status === 'thinned' ? 'thinned' as const : 'registered' as const;
    const ref = kind === 'registered' && row.caseRef !== null ? (JSON.parse(row.caseRef) as string | null) : null;
    return { id: row.id, accountId: row.accountId, receivedAt: row.receivedAt, kind, caseRef: ref, folder: folderOf({ ...row, caseRef: ref, kind }) };
  });

  // A case's folder sits under the channel where its first item arrived; folders follow their
  // first item, and items their folder, so each folder is written once, whole.
  const firstOf = new Map<string, { accountId: string; at: string; rank: number }>();
  for (const item of planned) {
    if (!firstOf.has(item.folder)) {
      const rank = item.folder.startsWith('case:') ? 0 : item.folder.startsWith('channel:') ? 1 : 2;
      firstOf.set(item.folder, { accountId: item.accountId, at: item.receivedAt, rank });
    }
  }
  const order = (item: PlannedItem) => firstOf.get(item.folder)!;
  planned.sort((a, b) => {
    const fa = order(a);
    const fb = order(b);
    return fa.accountId.localeCompare(fb.accountId) || fa.rank - fb.rank || fa.at.localeCompare(fb.at)
      || a.folder.localeCompare(b.folder) || a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id);
  });

  const accountIds = [...new Set(planned.map((item) => order(item).accountId))];
  const channels: ArchiveChannel[] = [];
  for (const part of chunks(accountIds)) {
    const found = await db.select().from(accounts).where(and(eq(accounts.orgId, orgId), inArray(accounts.id, part)));
    for (const row of found) {
      channels.push({
        id: row.id, platform: row.platform, handle: row.handle, url: row.url, ownerUnit: row.ownerUnit, purpose: row.purpose, createdAt: row.createdAt,
      });
    }
  }
  channels.sort((a, b) => a.id.localeCompare(b.id));
  const thinned = planned.filter((item) => item.kind === 'thinned').length;
  return { items: planned, channels, registered: planned.length - thinned, thinned };
}

/** The channel whose class holds the item's folder (a case's first channel). */
export function folderChannels(plan: ArchivePlan): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of plan.items) if (!out.has(item.folder)) out.set(item.folder, item.accountId);
  return out;
}

export const pageSize = 500;

function chunks<T>(list: readonly T[], size = pageSize): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The full records of one page of the plan, in the plan's order. */
export async function loadArchiveItems(db: Db, orgId: string, page: readonly PlannedItem[]): Promise<ArchiveItem[]> {
  const ids = page.map((item) => item.id);
  const rows = await db.select().from(items).where(and(eq(items.orgId, orgId), inArray(items.id, ids)));
  const held = await db.select().from(contents).where(and(eq(contents.orgId, orgId), inArray(contents.itemId, ids)));
  const events = await db
    .select().from(ledgerEvents)
    .where(and(eq(ledgerEvents.orgId, orgId), inArray(ledgerEvents.subjectId, ids)))
    .orderBy(asc(ledgerEvents.orgSeq));
  const decisions = await db
    .select().from(thinningDecisions)
    .where(and(
      eq(thinningDecisions.orgId, orgId),
      sql`exists (select 1 from json_each(${thinningDecisions.itemIds}) where value in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}))`,
    ));

  const rowOf = new Map(rows.map((row) => [row.id, row]));
  const eventsOf = new Map<string, ChainedEvent[]>();
  for (const row of events) {
    const list = eventsOf.get(row.subjectId) ?? [];
    list.push(rowToEvent(row));
    eventsOf.set(row.subjectId, list);
  }
  const decisionOf = new Map<string, { rule: string; job: string; at: string }>();
  for (const decision of decisions) {
    for (const id of decision.itemIds) decisionOf.set(id, { rule: decision.rule, job: decision.job, at: decision.decidedAt });
  }

  return page.map((planned) => {
    const row = rowOf.get(planned.id)!;
    const context = row.context as { categories?: string[]; registered?: { number: string; caseRef: string | null } | null };
    const itemEvents = eventsOf.get(row.id) ?? [];
    const mine = held.filter((c) => c.itemId === row.id);
    const main = mine.find((c) => c.hash === row.contentHash);
    const isThinned = planned.kind === 'thinned';
    const body = !isThinned && main?.body ? main.body : null;
    const registerEvent = itemEvents.find((e) => registeringEvents.has(e.type));
    const thinEvent = itemEvents.find((e) => thinningEvents.has(e.type));
    const decision = decisionOf.get(row.id);
    return {
      id: row.id, accountId: row.accountId, externalId: row.externalId, kind: row.kind, direction: row.direction,
      receivedAt: row.receivedAt, status: row.status, categories: context.categories ?? [],
      registered: !isThinned && context.registered
        ? { ...context.registered, at: registerEvent?.at ?? row.updatedAt, by: registerEvent?.actor.role ?? 'registrar' }
        : null,
      thinned: isThinned
        ? { at: thinEvent?.at ?? decision?.at ?? row.updatedAt, rule: decision?.rule ?? 'thinning', by: decision?.job ?? thinEvent?.actor.role ?? 'system' }
        : null,
      content: body
        ? { text: String(body.text ?? ''), author: (body.author ?? {}) as { handle?: string; name?: string }, url: typeof body.url === 'string' ? body.url : null }
        : null,
      documents: isThinned ? [] : mine
        .filter((c) => c.hash !== row.contentHash && c.body && !c.erasedAt)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.hash.localeCompare(b.hash))
        .map((c) => ({ hash: c.hash, role: c.role, createdAt: c.createdAt, body: c.body! })),
      events: itemEvents,
    };
  });
}

export async function* archivePages(db: Db, orgId: string, plan: ArchivePlan): AsyncGenerator<ArchiveItem[]> {
  for (const page of chunks(plan.items)) yield await loadArchiveItems(db, orgId, page);
}
