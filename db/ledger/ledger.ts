// The append-only, hash-chained ledger. Every accepted event of every item and account of an
// organisation is one link: hash = sha256(canonical JSON of the event including prevHash). Its
// JSON values are stored as their canonical text (linkTexts), the very text the hash covers.
// Only the write queue's batches append (write-batch.ts moves the head once per transaction, with
// a compare-and-set); nothing ever updates or deletes a row.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { canonicalJson, sha256 } from './hashing.ts';
import { ledgerEvents } from '../schema.ts';
import type { WriteBatch } from '../write/write-batch.ts';

export interface Actor {
  keyId: string | null;
  role: string;
}

export const systemActor: Actor = { keyId: null, role: 'system' };

export interface NewEvent {
  orgId: string;
  /** 'policy': a change of the organisation's policy (subjectId is the organisation's id, seq the version). */
  subject: 'item' | 'account' | 'policy' | 'export';
  subjectId: string;
  seq: number;
  type: string;
  actor: Actor;
  at: string;
  machine: string;
  from: unknown;
  to: unknown;
  payload: Record<string, unknown>;
  /** The policy version the event ran under; appendEvent sets the organisation's current one when absent. */
  policyVersion?: number | null;
}

export interface ChainedEvent extends NewEvent {
  orgSeq: number;
  prevHash: string;
  hash: string;
}

/** The canonical JSON texts of a link's JSON values: what the ledger stores and its hash covers. */
export interface LinkTexts {
  from: string;
  to: string;
  payload: string;
}

export function linkTexts(event: Pick<NewEvent, 'from' | 'to' | 'payload'>): LinkTexts {
  return { from: canonicalJson(event.from ?? null), to: canonicalJson(event.to), payload: canonicalJson(event.payload) };
}

/**
 * Every field of a link that its hash covers, in the order of canonical JSON (keys sorted), with
 * the ledger columns that hold it. This is the one list: the hashed text is written from it, and
 * verification reads back its columns, so a field cannot join a link without entering its hash.
 * `json` fields arrive as their canonical texts (linkTexts).
 */
export const linkFields = [
  { name: 'actor', columns: ['actor_key_id', 'actor_role'], text: (e: LinkFields) => `{"keyId":${json(e.actor.keyId)},"role":${json(e.actor.role)}}` },
  { name: 'at', columns: ['at'], text: (e: LinkFields) => json(e.at) },
  { name: 'from', columns: ['from_state'], text: (_e: LinkFields, t: LinkTexts) => t.from },
  { name: 'machine', columns: ['machine'], text: (e: LinkFields) => json(e.machine) },
  { name: 'orgId', columns: ['org_id'], text: (e: LinkFields) => json(e.orgId) },
  { name: 'orgSeq', columns: ['org_seq'], text: (e: LinkFields) => json(e.orgSeq) },
  { name: 'payload', columns: ['payload'], text: (_e: LinkFields, t: LinkTexts) => t.payload },
  // Absent (not null) on links written before policy versions, so their hashes stand as written.
  { name: 'policyVersion', columns: ['policy_version'], text: (e: LinkFields) => (e.policyVersion == null ? undefined : json(e.policyVersion)) },
  { name: 'prevHash', columns: ['prev_hash'], text: (e: LinkFields) => json(e.prevHash) },
  { name: 'seq', columns: ['seq'], text: (e: LinkFields) => json(e.seq) },
  { name: 'subject', columns: ['subject'], text: (e: LinkFields) => json(e.subject) },
  { name: 'subjectId', columns: ['subject_id'], text: (e: LinkFields) => json(e.subjectId) },
  { name: 'to', columns: ['to_state'], text: (_e: LinkFields, t: LinkTexts) => t.to },
  { name: 'type', columns: ['type'], text: (e: LinkFields) => json(e.type) },
] as const satisfies ReadonlyArray<{ name: keyof ChainedEvent; columns: readonly string[]; text: (e: LinkFields, t: LinkTexts) => string | undefined }>;

type LinkFields = Omit<ChainedEvent, 'hash' | 'from' | 'to' | 'payload'>;

/**
 * The text a link's hash covers: canonicalJson of the event (keys sorted), written out from
 * linkFields and the canonical texts of its JSON values, so that verification can rebuild it from
 * the stored texts without parsing them. It equals canonicalJson of the event only if each text is
 * one complete JSON value (a text like `1},"machine":"x"` would move the fields' boundaries):
 * whoever passes texts read back from storage must check that before trusting a match.
 */
export function linkText(event: LinkFields, texts: LinkTexts): string {
  let text = '{';
  for (const field of linkFields) {
    const value = field.text(event, texts);
    if (value !== undefined) text += `${text.length > 1 ? ',' : ''}"${field.name}":${value}`;
  }
  return `${text}}`;
}

/**
 * JSON.stringify of a field. A string with nothing to escape is itself in quotes, a finite number
 * its String: the tests cost a fifth of the call, and linkText writes eleven fields a link.
 */
function json(value: unknown): string {
  if (typeof value === 'string') return escaped.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

const escaped = /["\\\u0000-\u001f\ud800-\udfff]/;

/** The hash of a link: sha256 of its canonical JSON, prevHash included. */
export function eventHash(event: Omit<ChainedEvent, 'hash'>): string {
  return sha256(linkText(event, linkTexts(event)));
}

/** Links the event to its organisation's chain; the batch writes it with the rest of its transaction. */
export async function appendEvent(batch: WriteBatch, event: NewEvent): Promise<ChainedEvent> {
  const head = await batch.head(event.orgId);
  const policyVersion = event.policyVersion ?? (await batch.organisation(event.orgId))!.policyVersion;
  const link = { ...event, policyVersion, orgSeq: head.seq + 1, prevHash: head.hash };
  // The JSON values are stored as the very texts the hash covers, so verification need not parse them.
  const texts = linkTexts(link);
  const chained: ChainedEvent = { ...link, hash: sha256(linkText(link, texts)) };
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
    policyVersion: chained.policyVersion ?? null,
    fromState: chained.from == null ? null : texts.from,
    toState: texts.to,
    payload: texts.payload,
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
    policyVersion: row.policyVersion,
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
