// What a row of the items list shows beyond the item's own columns: the start of its text, and
// its unsettled deadlines as overdue or due soon. One query each for the whole page, on the
// per-item indexes (contents_item, the deadlines primary key), so the cost grows with the page,
// not with the organisation.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { contents, deadlines } from '../schema.ts';

/** Characters of text a row shows; the item page has the rest. */
export const snippetLength = 140;

export type DeadlineBadge = { kind: string; dueAt: string; tone: 'overdue' | 'soon' };

export interface ListDetails {
  /** The start of the item's text; absent once thinned (or if it had none). */
  snippets: Map<string, string>;
  /** Unsettled deadlines past due (breached or not) or due before `soonBy`, earliest first. */
  badges: Map<string, DeadlineBadge[]>;
}

export async function listDetails(db: Db, itemIds: string[], now: Date, soonBy: Date): Promise<ListDetails> {
  const snippets = new Map<string, string>();
  const badges = new Map<string, DeadlineBadge[]>();
  if (itemIds.length === 0) return { snippets, badges };
  const [texts, due] = await Promise.all([
    db
      // The text as JSON (`->`), parsed here: SQLite's own decoding of a `\ud800` escape (a lone
      // surrogate, which JSON.stringify writes for one a client sent) is not UTF-8, and the driver
      // aborts the process on such a value.
      .select({ itemId: contents.itemId, json: sql<string | null>`${contents.body} -> '$.text'` })
      .from(contents)
      .where(and(inArray(contents.itemId, itemIds), eq(contents.role, 'content'), isNull(contents.erasedAt))),
    db
      .select({ itemId: deadlines.itemId, kind: deadlines.kind, dueAt: deadlines.dueAt, status: deadlines.status })
      .from(deadlines)
      .where(and(inArray(deadlines.itemId, itemIds), isNull(deadlines.settledAt)))
      .orderBy(asc(deadlines.dueAt)),
  ]);
  for (const row of texts) {
    const full: unknown = row.json === null ? null : JSON.parse(row.json);
    if (typeof full !== 'string' || full === '') continue;
    const text = full.slice(0, snippetLength + 1).replace(/\s+/g, ' ').trim();
    snippets.set(row.itemId, text.length > snippetLength ? `${text.slice(0, snippetLength - 1)}…` : text);
  }
  const nowIso = now.toISOString();
  const soonIso = soonBy.toISOString();
  for (const d of due) {
    // The same test as isOverdue: breached, or open and past due.
    const tone = d.status === 'breached' || (d.status === 'open' && d.dueAt <= nowIso) ? 'overdue' : d.status === 'open' && d.dueAt <= soonIso ? 'soon' : null;
    if (!tone) continue;
    badges.set(d.itemId, [...(badges.get(d.itemId) ?? []), { kind: d.kind, dueAt: d.dueAt, tone }]);
  }
  return { snippets, badges };
}
