// The ledger proves its history: an edited, removed or reordered event is found and named by
// item and sequence; thinning erases content and the chain still verifies.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/apply-item-event.ts';
import { subjectHistory } from '../../db/ledger.ts';
import type { Organisation } from '../../db/organisations.ts';
import { replayItem } from '../../db/replay.ts';
import { contents } from '../../db/schema.ts';
import { verifyLedger } from '../../db/verify.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('the ledger', () => {
  let t: TempDb;
  let org: Organisation;
  let itemId: string;

  async function step(event: ItemEventBody, minutes: number, actor = officer) {
    const result = await applyItemEvent(t.store, { orgId: org.id, itemId, actor, ifMatch: null, idempotency: null, now: later(minutes), event });
    if (!result.ok) throw new Error(result.detail);
    return result.item;
  }

  beforeEach(async () => {
    t = await tempDb();
    org = await organisation(t.store, 'avesta');
    const account = await activeAccount(t.store, org);
    itemId = (await receivedItem(t.store, org, account.id)).id;
    await step({ type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required', note: 'Easy one' }, 1);
    await step({ type: 'ANSWER', text: 'The library opens at nine.' }, 2);
    await receivedItem(t.store, org, account.id);
  });
  afterEach(() => t.cleanup());

  const sql = (statement: string, args: Array<string | number> = []) => t.store.client.execute({ sql: statement, args });

  it('verifies an untouched chain, with positions per organisation', async () => {
    const tibro = await organisation(t.store, 'tibro');
    await activeAccount(t.store, tibro);
    // avesta: PROPOSED, APPROVE, RECEIVED, ASSESS, ANSWER, RECEIVED; tibro: PROPOSED, APPROVE.
    expect(await verifyLedger(t.store.db)).toEqual({ ok: true, events: 8, breaks: [] });
    expect(await verifyLedger(t.store.db, tibro.id)).toEqual({ ok: true, events: 2, breaks: [] });
    const positions = await sql('select org_seq from ledger_events where org_id = ? order by org_seq', [tibro.id]);
    expect(positions.rows.map((row) => Number(row.org_seq))).toEqual([1, 2]);
  });

  it('keeps personal text out of the ledger and in the content store', async () => {
    const history = await subjectHistory(t.store.db, org.id, itemId);
    const answer = history.find((event) => event.type === 'ANSWER')!;
    expect(JSON.stringify(history)).not.toContain('The library opens');
    expect(JSON.stringify(history)).not.toContain('Easy one');
    expect(answer.payload.textSha256).toMatch(/^[0-9a-f]{64}$/);
    const [stored] = await t.store.db.select().from(contents).where(eq(contents.hash, String(answer.payload.textSha256)));
    expect(stored?.body).toMatchObject({ text: 'The library opens at nine.' });
  });

  it('names the item and sequence of an edited event', async () => {
    await sql(`update ledger_events set payload = json_set(payload, '$.referredTo', 'x') where subject_id = ? and seq = 3`, [itemId]);
    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([{ itemId, seq: 3, reason: expect.stringContaining('edited') }]);
  });

  it('names the event after a removed one', async () => {
    await sql(`delete from ledger_events where subject_id = ? and seq = 2`, [itemId]);
    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks[0]).toMatchObject({ itemId, seq: 3 });
  });

  it('finds two events swapped in the chain', async () => {
    await sql(`update ledger_events set org_seq = -1 where subject_id = ? and seq = 2`, [itemId]);
    await sql(`update ledger_events set org_seq = 4 where subject_id = ? and seq = 3`, [itemId]);
    await sql(`update ledger_events set org_seq = 5 where org_seq = -1`);
    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks.map((b) => b.itemId)).toContain(itemId);
  });

  it('finds a removed last event through the head kept with the organisation', async () => {
    await sql(`delete from ledger_events where org_seq = (select max(org_seq) from ledger_events)`);
    const report = await verifyLedger(t.store.db);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([expect.objectContaining({ itemId: null, reason: expect.stringContaining('ends at position') })]);
  });

  it('replays to the stored snapshot, and as of an earlier instant to the state then', async () => {
    expect(await replayItem(t.store.db, org.id, itemId, later(60))).toMatchObject({ eventsApplied: 3, status: 'answered', matchesStored: true });
    expect(await replayItem(t.store.db, org.id, itemId, later(1))).toMatchObject({
      eventsApplied: 2, status: 'assessed', state: { handling: 'assessed', records: 'open' },
    });
    expect(await replayItem(t.store.db, org.id, itemId, new Date(t0.getTime() - 1))).toMatchObject({ eventsApplied: 0, state: null, status: null });
  });

  it('notices a stored snapshot that no longer matches its events', async () => {
    await sql(`update items set context = json_set(context, '$.decision', 'no_action') where id = ?`, [itemId]);
    expect((await replayItem(t.store.db, org.id, itemId, later(60)))?.matchesStored).toBe(false);
  });

  it('erases every piece of personal content on THIN and still verifies (AV-14)', async () => {
    const reassessed = { type: 'CAPTURE_EVIDENCE' } as const;
    await step(reassessed, 3);
    const thinned = await step({ type: 'THIN', reason: 'Temporary value' }, 4, registrar);
    expect(thinned).toMatchObject({ status: 'thinned', content: null });
    const rows = await t.store.db.select().from(contents).where(eq(contents.itemId, itemId));
    expect(rows.length).toBeGreaterThanOrEqual(4); // content, note, answer text, evidence
    for (const row of rows) expect(row).toMatchObject({ body: null, salt: null, erasedReason: 'Temporary value' });
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
    expect((await replayItem(t.store.db, org.id, itemId, later(60)))?.matchesStored).toBe(true);
  });
});
