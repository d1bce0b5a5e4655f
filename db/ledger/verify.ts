// Ledger verification: walk each organisation's chain in order, recompute every hash, and
// check that positions run without gaps. Names the subject and sequence of every break.
import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { genesisHash } from './hashing.ts';
import { hashMatches, readLinks, type LinkPage } from './verify-links.ts';
import { organisations } from '../schema.ts';

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
  orgId: string;
  prevHash: string;
  position: number;
  lastSeqOf: Map<string, number>;
}

/** A break with its chain position (null for the head check). */
type FoundBreak = LedgerBreak & { orgSeq: number | null };

/** Checks the page's link `i`, the next of the walk; its breaks, if any, go to `found`. */
function checkLink(walk: ChainWalk, page: LinkPage, i: number, found: FoundBreak[]): void {
  const [orgSeq, subject, subjectId, seq, , , , , , prevHash, hash] = page.links[i]!;
  if (orgSeq !== walk.position + 1) {
    found.push({ itemId: subjectId, seq, orgSeq, reason: `chain position ${walk.position + 1} is missing (found ${orgSeq})` });
  } else if (prevHash !== walk.prevHash) {
    found.push({ itemId: subjectId, seq, orgSeq, reason: 'previous hash does not match the event before it (removed or reordered)' });
  } else if (!hashMatches(walk.orgId, page, i)) {
    found.push({ itemId: subjectId, seq, orgSeq, reason: 'hash does not match the event (edited)' });
  }
  const expectedSeq = (walk.lastSeqOf.get(subjectId) ?? 0) + 1;
  if (seq !== expectedSeq) {
    found.push({ itemId: subjectId, seq, orgSeq, reason: `sequence ${expectedSeq} of this ${subject} is missing (found ${seq})` });
  }
  walk.lastSeqOf.set(subjectId, seq);
  walk.prevHash = hash;
  walk.position = orgSeq;
}

/** A removed last event leaves no successor to notice it: the head kept with the organisation does. */
function headBreak(walk: ChainWalk, org: { seq: number; head: string }): LedgerBreak | null {
  if (walk.position === org.seq && walk.prevHash === org.head) return null;
  return { itemId: null, seq: null, reason: `ledger ends at position ${walk.position}; the organisation's head says ${org.seq}` };
}

async function verifyOrganisation(db: Db, org: { id: string; seq: number; head: string }, report: VerifyReport) {
  const walk: ChainWalk = { orgId: org.id, prevHash: genesisHash, position: 0, lastSeqOf: new Map() };
  const found: FoundBreak[] = [];
  for (;;) {
    const page = await readLinks(db, org.id, walk.position, pageSize);
    for (let i = 0; i < page.links.length; i++) checkLink(walk, page, i, found);
    report.events += page.links.length;
    if (page.links.length < pageSize) break;
  }
  for (const { orgSeq: _position, ...reported } of found) report.breaks.push(reported);
  const head = headBreak(walk, org);
  if (head) report.breaks.push(head);
}

/** Where a chunked verification stands: the last chain position checked. */
export interface VerifyChunk {
  /** Events checked in this chunk. */
  events: number;
  /** Breaks found in this chunk. */
  breaks: FoundBreak[];
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
  const page = await readLinks(db, orgId, after, limit);
  const walk: ChainWalk = { orgId, prevHash: genesisHash, position: after, lastSeqOf: new Map() };
  if (after > 0) await resumeWalk(db, orgId, walk, [...new Set(page.links.map(([, , subjectId]) => subjectId))], limit);
  for (let i = 0; i < page.links.length; i++) checkLink(walk, page, i, chunk.breaks);
  chunk.events = page.links.length;
  chunk.position = walk.position;
  if (page.links.length < limit) {
    chunk.done = true;
    const head = headBreak(walk, org);
    if (head) chunk.breaks.push({ ...head, orgSeq: null });
  }
  return chunk;
}

/**
 * The walk's state at `walk.position` as the whole walk would carry it: the hash of the last event
 * at or before it, and each subject's sequence as of then (the seq of its latest event by chain
 * position), for the subjects the chunk will meet.
 */
async function resumeWalk(db: Db, orgId: string, walk: ChainWalk, subjects: string[], window: number): Promise<void> {
  const { rows: [before] } = await db.$client.execute({
    sql: 'select hash from ledger_events where org_id = ? and org_seq <= ? order by org_seq desc limit 1',
    args: [orgId, walk.position],
  });
  walk.prevHash = before ? (before.hash as string) : genesisHash;
  if (subjects.length === 0) return;
  // A subject's latest event is looked for first among the `window` events before the chunk, along
  // the chain (a long history is never read whole), then, for the subjects not met there, along
  // the subject's own index (an item's few events). With a single max(), SQLite takes the bare
  // columns from the row that holds the maximum. `+subject_id`: no subject index for the first.
  const { rows } = await db.$client.execute({
    sql: `with wanted(subject_id) as (select value from json_each(?3)),
          recent as (select subject_id, seq, max(org_seq) from ledger_events
                     where org_id = ?1 and org_seq > ?2 - ?4 and org_seq <= ?2 and +subject_id in wanted group by subject_id),
          older as (select subject_id, seq, max(org_seq) from ledger_events indexed by ledger_subject_seq
                    where org_id = ?1 and org_seq <= ?2 and subject_id in (select subject_id from wanted except select subject_id from recent)
                    group by subject_id)
          select subject_id, seq from recent union all select subject_id, seq from older`,
    args: [orgId, walk.position, JSON.stringify(subjects), window],
  });
  for (const row of rows) walk.lastSeqOf.set(row[0] as string, row[1] as number);
}
