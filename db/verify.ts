// Ledger verification: walk each organisation's chain in order, recompute every hash, and
// check that positions run without gaps. Names the subject and sequence of every break.
import { and, asc, eq, gt } from 'drizzle-orm';
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

async function verifyOrganisation(db: Db, org: { id: string; seq: number; head: string }, report: VerifyReport) {
  let prevHash = genesisHash;
  let position = 0;
  const lastSeqOf = new Map<string, number>();
  for (;;) {
    const rows = await db
      .select()
      .from(ledgerEvents)
      .where(and(eq(ledgerEvents.orgId, org.id), gt(ledgerEvents.orgSeq, position)))
      .orderBy(asc(ledgerEvents.orgSeq))
      .limit(pageSize);
    for (const row of rows) {
      const event = rowToEvent(row);
      const at = { itemId: event.subjectId, seq: event.seq };
      if (event.orgSeq !== position + 1) {
        report.breaks.push({ ...at, reason: `chain position ${position + 1} is missing (found ${event.orgSeq})` });
      } else if (event.prevHash !== prevHash) {
        report.breaks.push({ ...at, reason: 'previous hash does not match the event before it (removed or reordered)' });
      } else if (eventHash(event) !== event.hash) {
        report.breaks.push({ ...at, reason: 'hash does not match the event (edited)' });
      }
      const expectedSeq = (lastSeqOf.get(event.subjectId) ?? 0) + 1;
      if (event.seq !== expectedSeq) {
        report.breaks.push({ ...at, reason: `sequence ${expectedSeq} of this ${event.subject} is missing (found ${event.seq})` });
      }
      lastSeqOf.set(event.subjectId, event.seq);
      prevHash = event.hash;
      position = event.orgSeq;
      report.events += 1;
    }
    if (rows.length < pageSize) break;
  }
  // A removed last event leaves no successor to notice it: the head kept with the organisation does.
  if (position !== org.seq || prevHash !== org.head) {
    report.breaks.push({ itemId: null, seq: null, reason: `ledger ends at position ${position}; the organisation's head says ${org.seq}` });
  }
}
