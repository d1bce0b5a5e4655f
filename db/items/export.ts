// The audit export's data: one item or the items received in a range, with their content (or
// null once thinned), their hash-chained ledger events and the thinning decisions that name them.
// Only the given organisation's rows are read. The package itself is built in server/pages.
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { rowToEvent, type ChainedEvent } from '../ledger/ledger.ts';
import { contents, items, ledgerEvents, thinningDecisions } from '../schema.ts';
import { eventContentsOf, repliesOf, type Reply } from './event-words.ts';
import { withWholeContexts } from './item-rules.ts';

/** At most this many items go into one package; a wider range is refused, never cut short. */
export const exportItemCap = 1_000;

export type ExportSelection = { itemId: string } | { from: string; to: string };

export interface ExportedItem {
  id: string;
  accountId: string;
  externalId: string;
  kind: string;
  direction: string;
  receivedAt: string;
  status: string;
  state: unknown;
  machine: string;
  version: number;
  context: unknown;
  contentSha256: string;
  /** The item as received, or null when it has been thinned (then `thinned` says when and why). */
  content: Record<string, unknown> | null;
  thinned: { at: string; reason: string | null } | null;
  /** The municipality's own words on the item (GET /v1/items/{id} `replies`): text and note null once thinned. */
  replies: Reply[];
  createdAt: string;
  updatedAt: string;
}

export interface ExportedDecision {
  id: string;
  decidedAt: string;
  rule: string;
  preset: string;
  job: string;
  itemIds: string[];
  reason: string;
}

export interface ExportData {
  items: ExportedItem[];
  events: ChainedEvent[];
  decisions: ExportedDecision[];
}

export type ExportResult = { ok: true; data: ExportData } | { ok: false; code: 'not_found' | 'too_many'; detail: string };

const batch = 500;

function chunks<T>(list: readonly T[], size = batch): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export async function exportData(db: Db, orgId: string, selection: ExportSelection): Promise<ExportResult> {
  const where = 'itemId' in selection
    ? and(eq(items.orgId, orgId), eq(items.id, selection.itemId))
    : and(eq(items.orgId, orgId), gte(items.receivedAt, selection.from), lt(items.receivedAt, selection.to));
  const rows = await withWholeContexts(db, await db.select().from(items).where(where).orderBy(asc(items.receivedAt), asc(items.id)).limit(exportItemCap + 1));
  if ('itemId' in selection && rows.length === 0) return { ok: false, code: 'not_found', detail: 'Item not found.' };
  if (rows.length > exportItemCap) {
    return { ok: false, code: 'too_many', detail: `The range holds more than ${exportItemCap.toLocaleString('en')} items; export a narrower range.` };
  }
  const ids = rows.map((row) => row.id);

  const contentOf = new Map<string, typeof contents.$inferSelect>();
  for (const part of chunks(rows.map((row) => row.contentHash))) {
    const found = await db.select().from(contents).where(and(eq(contents.orgId, orgId), inArray(contents.hash, part)));
    for (const row of found) contentOf.set(row.hash, row);
  }

  const events: ChainedEvent[] = [];
  for (const part of chunks(ids)) {
    const found = await db
      .select()
      .from(ledgerEvents)
      .where(and(eq(ledgerEvents.orgId, orgId), inArray(ledgerEvents.subjectId, part)))
      .orderBy(asc(ledgerEvents.orgSeq));
    events.push(...found.map(rowToEvent));
  }
  events.sort((a, b) => a.orgSeq - b.orgSeq);
  const kept = await eventContentsOf(db, orgId, ids);
  const eventsOf = new Map<string, ChainedEvent[]>();
  for (const event of events) eventsOf.set(event.subjectId, [...(eventsOf.get(event.subjectId) ?? []), event]);

  const decisions = new Map<string, ExportedDecision>();
  for (const part of chunks(ids)) {
    const found = await db
      .select()
      .from(thinningDecisions)
      .where(and(
        eq(thinningDecisions.orgId, orgId),
        sql`exists (select 1 from json_each(${thinningDecisions.itemIds}) where value in (${sql.join(part.map((id) => sql`${id}`), sql`, `)}))`,
      ));
    for (const { orgId: _org, ...decision } of found) decisions.set(decision.id, decision);
  }

  return {
    ok: true,
    data: {
      items: rows.map((row) => {
        const content = contentOf.get(row.contentHash) ?? null;
        return {
          id: row.id,
          accountId: row.accountId,
          externalId: row.externalId,
          kind: row.kind,
          direction: row.direction,
          receivedAt: row.receivedAt,
          status: row.status,
          state: row.state,
          machine: row.machine,
          version: row.version,
          context: row.context,
          contentSha256: row.contentHash,
          content: content?.body ?? null,
          thinned: content?.erasedAt ? { at: content.erasedAt, reason: content.erasedReason } : null,
          replies: repliesOf(eventsOf.get(row.id) ?? [], kept),
          createdAt: row.createdAt,
          updatedAt: row.updatedAt,
        };
      }),
      events,
      decisions: [...decisions.values()].sort((a, b) => a.id.localeCompare(b.id)),
    },
  };
}
