// Ledger verification: walk each organisation's chain in order, recompute every hash, and
// check that positions run without gaps. Names the subject and sequence of every break.
import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { genesisHash } from './hashing.ts';
import { eventHash, rowToEvent } from './ledger.ts';
import { ledgerEvents, organisations } from './schema.ts';

export interface LedgerBreak {
  itemId: string | null;
  seq: number | null;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  breaks: LedgerBreak[];
}

const pageSize = 5_000;

export async function verifyLedger(db: Db, orgId?: string): Promise<VerifyReport> {
  const orgs = await db
    .select({ id: organisations.id, seq: organisations.ledgerSeq, head: organisations.ledgerHead })
    .from(organisations)
    .where(orgId ? eq(organisations.id, orgId) : undefined);
  const report: VerifyReport = { ok: true, events: 0, breaks: [] };
  for (const org of orgs) await verifyOrganisation(db, org, report);
  report.ok = report.breaks.length === 0;
  return report;
}

/** The state a walk along one organisation's chain carries from link to link, and the checks on each link. */
interface ChainWalk {
  prevHash: string;
  position: number;
  lastSeqOf: Map<string, number>;
}

function checkLink(walk: ChainWalk, event: ReturnType<typeof rowToEvent>): Array<LedgerBreak & { orgSeq: number }> {
  const breaks: Array<LedgerBreak & { orgSeq: number }> = [];
  const at = { itemId: event.subjectId, seq: event.seq, orgSeq: event.orgSeq };
  if (event.orgSeq !== walk.position + 1) {
    breaks.push({ ...at, reason: `chain position ${walk.position + 1} is missing (found ${event.orgSeq})` });
  } else if (event.prevHash !== walk.prevHash) {
    breaks.push({ ...at, reason: 'previous hash does not match the event before it (removed or reordered)' });
  } else if (eventHash(event) !== event.hash) {
    breaks.push({ ...at, reason: 'hash does not match the event (edited)' });
  }
  const expectedSeq = (walk.lastSeqOf.get(event.subjectId) ?? 0) + 1;
  if (event.seq !== expectedSeq) {
    breaks.push({ ...at, reason: `sequence ${expectedSeq} of this ${event.subject} is missing (found ${event.seq})` });
  }
  walk.lastSeqOf.set(event.subjectId, event.seq);
  walk.prevHash = event.hash;
  walk.position = event.orgSeq;
  return breaks;
}

/** A removed last event leaves no successor to notice it: the head kept with the organisation does. */
function headBreak(walk: ChainWalk, org: { seq: number; head: string }): LedgerBreak | null {
  if (walk.position === org.seq && walk.prevHash === org.head) return null;
  return { itemId: null, seq: null, reason: `ledger ends at position ${walk.position}; the organisation's head says ${org.seq}` };
}

async function verifyOrganisation(db: Db, org: { id: string; seq: number; head: string }, report: VerifyReport) {
  const walk: ChainWalk = { prevHash: genesisHash, position: 0, lastSeqOf: new Map() };
  for (;;) {
    const rows = await db
      .select()
      .from(ledgerEvents)
      .where(and(eq(ledgerEvents.orgId, org.id), gt(ledgerEvents.orgSeq, walk.position)))
      .orderBy(asc(ledgerEvents.orgSeq))
      .limit(pageSize);
    for (const row of rows) {
      for (const { orgSeq: _position, ...found } of checkLink(walk, rowToEvent(row))) report.breaks.push(found);
      report.events += 1;
    }
    if (rows.length < pageSize) break;
  }
  const head = headBreak(walk, org);
  if (head) report.breaks.push(head);
}

/** Where a chunked verification stands: the last chain position checked. */
export interface VerifyChunk {
  /** Events checked in this chunk. */
  events: number;
  /** Breaks found in this chunk, each with its chain position (null for the head check). */
  breaks: Array<LedgerBreak & { orgSeq: number | null }>;
  /** The last chain position checked; the next chunk starts after it. */
  position: number;
  /** The organisation's head: how many events the chain should hold. */
  total: number;
  /** The chain has been walked to its end and the head checked. */
  done: boolean;
}

/**
 * One chunk of the organisation's verification: up to `limit` events after chain position `after`,
 * checked exactly as verifyLedger checks them. The state verifyLedger carries from event to event
 * (the previous hash, each subject's last sequence) is read back from the stored rows before
 * `after`, so a verification may run as many short requests. The last chunk checks the head.
 */
export async function verifyLedgerChunk(db: Db, orgId: string, after: number, limit: number): Promise<VerifyChunk | null> {
  const [org] = await db
    .select({ id: organisations.id, seq: organisations.ledgerSeq, head: organisations.ledgerHead })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  if (!org) return null;
  const chunk: VerifyChunk = { events: 0, breaks: [], position: after, total: org.seq, done: false };
  let prevHash = genesisHash;
  if (after > 0) {
    const [before] = await db
      .select({ hash: ledgerEvents.hash, orgSeq: ledgerEvents.orgSeq })
      .from(ledgerEvents)
      .where(and(eq(ledgerEvents.orgId, orgId), lte(ledgerEvents.orgSeq, after)))
      .orderBy(desc(ledgerEvents.orgSeq))
      .limit(1);
    prevHash = before?.hash ?? genesisHash;
  }
  const rows = await db
    .select()
    .from(ledgerEvents)
    .where(and(eq(ledgerEvents.orgId, orgId), gt(ledgerEvents.orgSeq, after)))
    .orderBy(asc(ledgerEvents.orgSeq))
    .limit(limit);
  // Each subject's sequence as of the chunk's start: the seq of its latest event at or before `after`.
  const lastSeqOf = new Map<string, number>();
  const subjects = [...new Set(rows.map((row) => row.subjectId))];
  for (let i = 0; after > 0 && i < subjects.length; i += 500) {
    const part = subjects.slice(i, i + 500);
    const latest = await db
      .select({ subjectId: ledgerEvents.subjectId, seq: ledgerEvents.seq, orgSeq: ledgerEvents.orgSeq })
      .from(ledgerEvents)
      .where(and(
        eq(ledgerEvents.orgId, orgId),
        inArray(ledgerEvents.subjectId, part),
        lte(ledgerEvents.orgSeq, after),
        sql`${ledgerEvents.orgSeq} = (select max(l2.org_seq) from ledger_events l2 where l2.org_id = ${orgId} and l2.subject_id = ${ledgerEvents.subjectId} and l2.org_seq <= ${after})`,
      ));
    for (const row of latest) lastSeqOf.set(row.subjectId, row.seq);
  }
  const walk: ChainWalk = { prevHash, position: after, lastSeqOf };
  for (const row of rows) {
    chunk.breaks.push(...checkLink(walk, rowToEvent(row)));
    chunk.events += 1;
  }
  chunk.position = walk.position;
  if (rows.length < limit) {
    chunk.done = true;
    const head = headBreak(walk, org);
    if (head) chunk.breaks.push({ ...head, orgSeq: null });
  }
  return chunk;
}
