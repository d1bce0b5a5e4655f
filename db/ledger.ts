// The append-only, hash-chained ledger. Every accepted event of every item and account of an
// organisation is one link: hash = sha256(canonical JSON of the event including prevHash).
// Only the write queue's batches append (write-batch.ts moves the head once per transaction, with
// a compare-and-set); nothing ever updates or deletes a row.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { canonicalJson, sha256 } from './hashing.ts';
import { ledgerEvents } from './schema.ts';
import type { WriteBatch } from './write-batch.ts';

export interface Actor {
  keyId: string | null;
  role: string;
}

export const systemActor: Actor = { keyId: null, role: 'system' };

export interface NewEvent {
  orgId: string;
  subject: 'item' | 'account';
  subjectId: string;
  seq: number;
  type: string;
  actor: Actor;
  at: string;
  machine: string;
  from: unknown;
  to: unknown;
  payload: Record<string, unknown>;
}

export interface ChainedEvent extends NewEvent {
  orgSeq: number;
  prevHash: string;
  hash: string;
}

/** The exact value a link's hash covers; verification recomputes it from the stored row. */
export function eventHash(event: Omit<ChainedEvent, 'hash'>): string {
  return sha256(
    canonicalJson({
      orgId: event.orgId,
      orgSeq: event.orgSeq,
      subject: event.subject,
      subjectId: event.subjectId,
      seq: event.seq,
      type: event.type,
      actor: { keyId: event.actor.keyId, role: event.actor.role },
      at: event.at,
      machine: event.machine,
      from: event.from ?? null,
      to: event.to,
      payload: event.payload,
      prevHash: event.prevHash,
    }),
  );
}

/** Links the event to its organisation's chain; the batch writes it with the rest of its transaction. */
export async function appendEvent(batch: WriteBatch, event: NewEvent): Promise<ChainedEvent> {
  const head = await batch.head(event.orgId);
  const link = { ...event, orgSeq: head.seq + 1, prevHash: head.hash };
  const chained: ChainedEvent = { ...link, hash: eventHash(link) };
  batch.addEvent({
    orgId: chained.orgId,
    orgSeq: chained.orgSeq,
    subject: chained.subject,
    subjectId: chained.subjectId,
    seq: chained.seq,
    type: chained.type,
    actorKeyId: chained.actor.keyId,
    actorRole: chained.actor.role,
    at: chained.at,
    machine: chained.machine,
    fromState: chained.from ?? null,
    toState: chained.to,
    payload: chained.payload,
    prevHash: chained.prevHash,
    hash: chained.hash,
  });
  return chained;
}

/** A stored row as the chained event it was written from. */
export function rowToEvent(row: typeof ledgerEvents.$inferSelect): ChainedEvent {
  return {
    orgId: row.orgId,
    orgSeq: row.orgSeq,
    subject: row.subject as ChainedEvent['subject'],
    subjectId: row.subjectId,
    seq: row.seq,
    type: row.type,
    actor: { keyId: row.actorKeyId, role: row.actorRole },
    at: row.at,
    machine: row.machine,
    from: row.fromState,
    to: row.toState,
    payload: row.payload,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** One item's or account's events in order. */
export async function subjectHistory(db: Db, orgId: string, subjectId: string): Promise<ChainedEvent[]> {
  const rows = await db
    .select()
    .from(ledgerEvents)
    .where(and(eq(ledgerEvents.orgId, orgId), eq(ledgerEvents.subjectId, subjectId)))
    .orderBy(asc(ledgerEvents.seq));
  return rows.map(rowToEvent);
}
