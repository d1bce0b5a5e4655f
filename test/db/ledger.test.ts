// The hash-chained ledger across organisations, and what verification finds when the table is
// edited behind Diarium's back (raw SQL, as an attacker with file access would do it).
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { genesisHash } from '../../db/ledger/hashing.ts';
import { eventHash, rowToEvent } from '../../db/ledger/ledger.ts';
import type { Organisation } from '../../db/organisations.ts';
import { ledgerEvents } from '../../db/schema.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

interface Row { orgSeq: number; subjectId: string; seq: number; type: string }

describe('the hash-chained ledger', () => {
  let t: TempDb;
  let tibro: Organisation;
  let avesta: Organisation;
  let minute = 0;

  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(() => t.cleanup());

  const sql = (statement: string, args: Array<string | number> = []) => t.store.client.execute({ sql: statement, args });

  async function step(org: Organisation, itemId: string, event: ItemEventBody, actor = officer) {
    minute += 1;
    const result = await applyItemEvent(t.store, { orgId: org.id, itemId, actor, event, ifMatch: null, idempotency: null, now: later(minute) });
    if (!result.ok) throw new Error(result.detail);
  }

  /**
   * tibro: two accounts (PROPOSED, APPROVE each), item A (RECEIVED, ASSESS, ANSWER, REGISTER),
   * item B (RECEIVED); avesta: one account, item C (RECEIVED, ASSESS). Steps of the two
   * organisations interleave in time.
   */
  async function populate() {
    tibro = await organisation(t.store, 'tibro');
    avesta = await organisation(t.store, 'avesta');
    const tibroAccount = await activeAccount(t.store, tibro);
    const avestaAccount = await activeAccount(t.store, avesta);
    await activeAccount(t.store, tibro, { handle: 'tibro-youth' });
    const a = await receivedItem(t.store, tibro, tibroAccount.id);
    const c = await receivedItem(t.store, avesta, avestaAccount.id);
    await step(tibro, a.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' });
    await step(avesta, c.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' });
    await step(tibro, a.id, { type: 'ANSWER', text: 'At ten.' });
    const b = await receivedItem(t.store, tibro, tibroAccount.id);
    await step(tibro, a.id, { type: 'REGISTER', number: 'KS 2026/1' }, registrar);
    return { a: a.id, b: b.id, c: c.id };
  }

  async function chain(org: Organisation): Promise<Row[]> {
    const rows = await sql('select org_seq, subject_id, seq, type from ledger_events where org_id = ? order by org_seq', [org.id]);
    return rows.rows.map((r) => ({ orgSeq: Number(r.org_seq), subjectId: String(r.subject_id), seq: Number(r.seq), type: String(r.type) }));
  }

  it('verifies a fresh chain of items and accounts in two organisations, each numbered from 1', async () => {
    const { a, b, c } = await populate();
    expect(await verifyLedger(t.store.db)).toEqual({ ok: true, events: 13, breaks: [] });
    expect(await verifyLedger(t.store.db, tibro.id)).toEqual({ ok: true, events: 9, breaks: [] });
    expect(await verifyLedger(t.store.db, avesta.id)).toEqual({ ok: true, events: 4, breaks: [] });

    const tibroChain = await chain(tibro);
    expect(tibroChain.map((r) => r.orgSeq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(tibroChain.filter((r) => r.subjectId === a).map((r) => r.type)).toEqual(['RECEIVED', 'ASSESS', 'ANSWER', 'REGISTER']);
    expect(tibroChain.filter((r) => r.subjectId === b).map((r) => r.type)).toEqual(['RECEIVED']);
    const avestaChain = await chain(avesta);
    expect(avestaChain.map((r) => r.orgSeq)).toEqual([1, 2, 3, 4]);
    expect(avestaChain.map((r) => r.type)).toEqual(['PROPOSED', 'APPROVE', 'RECEIVED', 'ASSESS']);
    expect(avestaChain.filter((r) => r.subjectId === c)).toHaveLength(2);
  });

  it('links each event to the one before it in its organisation, from the genesis hash', async () => {
    await populate();
    for (const org of [tibro, avesta]) {
      const rows = await t.store.db.select().from(ledgerEvents).where(eqOrg(org.id)).orderBy(ledgerEvents.orgSeq);
      let prev = genesisHash;
      for (const row of rows) {
        const event = rowToEvent(row);
        expect(event.prevHash).toBe(prev);
        expect(eventHash(event)).toBe(event.hash);
        prev = event.hash;
      }
      const head = await sql('select ledger_seq, ledger_head from organisations where id = ?', [org.id]);
      expect(head.rows[0]).toMatchObject({ ledger_seq: rows.length, ledger_head: prev });
    }
  });

  it('names the item and sequence of an event whose payload was edited', async () => {
    const { a } = await populate();
    await sql(`update ledger_events set payload = json_set(payload, '$.decision', 'no_action') where subject_id = ? and seq = 2`, [a]);
    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([{ itemId: a, seq: 2, reason: expect.stringContaining('edited') }]);
    // The other organisation's chain is untouched.
    expect((await verifyLedger(t.store.db, avesta.id)).ok).toBe(true);
  });

  it.each([
    ['actor_role', `'admin'`],
    ['at', `'2020-01-01T00:00:00.000Z'`],
    ['to_state', `'{"handling":"no_action","records":"open"}'`],
    ['type', `'FORWARD'`],
  ])('finds an edit of the %s column', async (column, value) => {
    const { a } = await populate();
    await sql(`update ledger_events set ${column} = ${value} where subject_id = ? and seq = 3`, [a]);
    const report = await verifyLedger(t.store.db);
    expect(report.breaks).toEqual([{ itemId: a, seq: 3, reason: expect.stringContaining('edited') }]);
  });

  it('finds an edit that recomputed its own hash at the next link of the chain', async () => {
    const { a } = await populate();
    const [row] = (await t.store.db.select().from(ledgerEvents).where(eqOrg(tibro.id))).filter((r) => r.subjectId === a && r.seq === 2);
    const forged = rowToEvent(row!);
    forged.payload = { ...forged.payload, decision: 'no_action' };
    const hash = eventHash(forged);
    await sql(`update ledger_events set payload = ?, hash = ? where subject_id = ? and seq = 2`, [JSON.stringify(forged.payload), hash, a]);
    const next = (await chain(tibro)).find((r) => r.orgSeq === row!.orgSeq + 1)!;

    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks[0]).toEqual({ itemId: next.subjectId, seq: next.seq, reason: expect.stringContaining('removed or reordered') });
  });

  it('names the event after a deleted middle event', async () => {
    const { a } = await populate();
    const before = await chain(tibro);
    const removed = before.find((r) => r.subjectId === a && r.seq === 2)!;
    const following = before.find((r) => r.orgSeq === removed.orgSeq + 1)!;
    await sql('delete from ledger_events where org_id = ? and org_seq = ?', [tibro.id, removed.orgSeq]);

    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks[0]).toEqual({
      itemId: following.subjectId, seq: following.seq, reason: expect.stringContaining(`position ${removed.orgSeq} is missing`),
    });
    // The item's own sequence now has a gap as well, named at its next event.
    expect(report.breaks).toContainEqual({ itemId: a, seq: 3, reason: expect.stringContaining('sequence 2') });
  });

  it('finds two events whose chain positions were swapped', async () => {
    const { a } = await populate();
    const rows = await chain(tibro);
    const first = rows.find((r) => r.subjectId === a && r.seq === 3)!;
    const second = rows.find((r) => r.orgSeq === first.orgSeq + 1)!;
    await sql('update ledger_events set org_seq = -1 where org_id = ? and org_seq = ?', [tibro.id, first.orgSeq]);
    await sql('update ledger_events set org_seq = ? where org_id = ? and org_seq = ?', [first.orgSeq, tibro.id, second.orgSeq]);
    await sql('update ledger_events set org_seq = ? where org_id = ? and org_seq = -1', [second.orgSeq, tibro.id]);

    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks[0]).toMatchObject({ itemId: second.subjectId, seq: second.seq });
    expect(report.breaks.map((b) => b.reason).join(' ')).toMatch(/reordered|edited/);
    expect(report.breaks.map((b) => b.itemId)).toContain(a);
  });

  it('finds a deleted last event through the head kept with the organisation', async () => {
    await populate();
    await sql('delete from ledger_events where org_id = ? and org_seq = (select max(org_seq) from ledger_events where org_id = ?)', [tibro.id, tibro.id]);
    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([{ itemId: null, seq: null, reason: expect.stringContaining('ends at position 8') }]);
    expect((await verifyLedger(t.store.db, avesta.id)).ok).toBe(true);
  });

  it('finds a whole item deleted with its events', async () => {
    const { b } = await populate();
    await sql('delete from ledger_events where subject_id = ?', [b]);
    await sql('delete from deadlines where item_id = ?', [b]);
    await sql('delete from items where id = ?', [b]);
    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks.length).toBeGreaterThan(0);
  });

  it('finds an event moved from one organisation\'s chain into another\'s', async () => {
    const { c } = await populate();
    const last = (await chain(tibro)).length;
    await sql('update ledger_events set org_id = ?, org_seq = ? where subject_id = ? and seq = 2', [tibro.id, last + 1, c]);
    await sql('update organisations set ledger_seq = ledger_seq + 1 where id = ?', [tibro.id]);
    const tibroReport = await verifyLedger(t.store.db, tibro.id);
    const avestaReport = await verifyLedger(t.store.db, avesta.id);
    expect(tibroReport.ok).toBe(false);
    expect(avestaReport.ok).toBe(false);
  });
});

const eqOrg = (orgId: string) => eq(ledgerEvents.orgId, orgId);
