// The municipality's own words on an item: the text of an ANSWER, ACKNOWLEDGE, NOTIFY_AUTHOR or
// CORRECT, an assessment's or a correction's note (kept apart in `contents`, referred from the
// ledger payload by `<field>Sha256`, erased by THIN), and where an item was referred or forwarded
// (`to`, in the payload). Read for the item view, the history, the export and the item page.
import { and, eq, inArray } from 'drizzle-orm';
import { recipientFields, type ItemV2EventType } from '../../machines/item.events.ts';
import type { Db } from '../client.ts';
import type { ChainedEvent } from '../ledger/ledger.ts';
import { contents } from '../schema.ts';

/** The free-text fields an event may keep apart (machines/item.events.ts personalFields). */
const apartFields = ['text', 'note'] as const;

export interface EventWords {
  /** null when the event has none, or once thinning erased it (then `erased`). */
  text: string | null;
  note: string | null;
  /** REFER and FORWARD: who the item went to; ANSWER of item@1: who it was referred to. */
  to: string | null;
  /** The event had words kept apart that thinning has erased since. */
  erased: boolean;
  /** Which fields the event kept apart (so a history can say null rather than leave them out). */
  kept: Array<(typeof apartFields)[number]>;
}

export type EventContent = Pick<typeof contents.$inferSelect, 'hash' | 'body' | 'erasedAt'>;

/** The event-text rows of the given items, by hash. */
export async function eventContentsOf(db: Db, orgId: string, itemIds: readonly string[]): Promise<Map<string, EventContent>> {
  const byHash = new Map<string, EventContent>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = await db
      .select({ hash: contents.hash, body: contents.body, erasedAt: contents.erasedAt })
      .from(contents)
      .where(and(eq(contents.orgId, orgId), inArray(contents.itemId, itemIds.slice(i, i + 500)), eq(contents.role, 'event')));
    for (const row of rows) byHash.set(row.hash, row);
  }
  return byHash;
}

/** The words of one event, or null when it has none. Pure over its inputs. */
export function wordsOf(event: Pick<ChainedEvent, 'type' | 'payload'>, kept: ReadonlyMap<string, EventContent>): EventWords | null {
  const payload = event.payload as Record<string, unknown>;
  const words: EventWords = { text: null, note: null, to: null, erased: false, kept: [] };
  for (const field of apartFields) {
    const hash = payload[`${field}Sha256`];
    if (typeof hash !== 'string') continue;
    words.kept.push(field);
    const row = kept.get(hash);
    if (!row || row.erasedAt || !row.body) {
      words.erased = true;
      continue;
    }
    const value = row.body[field];
    words[field] = typeof value === 'string' ? value : value == null ? null : JSON.stringify(value);
  }
  // Only the events machines/ names carry a recipient: `to` of another event (MIGRATED) is something else.
  const field = recipientFields[event.type as ItemV2EventType];
  const recipient = field ? payload[field] : undefined;
  const to = typeof recipient === 'string' ? recipient : null;
  words.to = to;
  return words.kept.length > 0 || to !== null ? words : null;
}

/** An item's words in the order they were recorded: what GET /v1/items/{id} shows as `replies`. */
export function repliesOf(events: readonly ChainedEvent[], kept: ReadonlyMap<string, EventContent>) {
  const replies = [];
  for (const event of events) {
    const words = wordsOf(event, kept);
    if (!words) continue;
    replies.push({
      seq: event.seq, type: event.type, at: event.at, actor: event.actor,
      text: words.text, note: words.note, to: words.to, erased: words.erased,
    });
  }
  return replies;
}

export type Reply = ReturnType<typeof repliesOf>[number];
