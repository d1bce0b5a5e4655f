// The deadline sweep: exactly-once breaches under repeated and concurrent runs, catch-up after
// downtime, the lease, and the run row (AV-6, TI-2, TI-6).
import { and, count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { subjectHistory } from '../../db/ledger/ledger.ts';
import { takeLease } from '../../db/schedules/leases.ts';
import { deadlines, jobRuns, ledgerEvents } from '../../db/schema.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { deadlineSweep, duePage } from '../../schedules/deadline-sweep.ts';
import { runJob } from '../../schedules/job.ts';
import { activeAccount, officer, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

// t0 is Mon 2026-11-23 10:00 Stockholm; the assess deadline is the end of Tue 24 Nov (AV-6, TI-2).
const assessDue = '2026-11-24T23:00:00.000Z';
const wednesday = new Date('2026-11-25T08:00:00Z');

describe('the deadline sweep', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(() => t.cleanup());

  const deps = () => ({ store: t.store, clock: () => new Date('2026-11-25T08:00:00Z') });

  async function tibroItem() {
    const org = await organisation(t.store, 'tibro');
    const account = await activeAccount(t.store, org);
    return { org, item: await receivedItem(t.store, org, account.id) };
  }

  it('opens an assess deadline at the end of the next weekday when an inbound item arrives (AV-6, TI-2)', async () => {
    const { item } = await tibroItem();
    expect(item.deadlines).toEqual([{ kind: 'assess', dueAt: assessDue, status: 'open' }]);
  });

  it('breaches nothing before the due instant and everything after it, exactly once however often it runs', async () => {
    const { org, item } = await tibroItem();
    expect(await deadlineSweep.run(deps(), new Date('2026-11-24T22:59:59Z'))).toEqual({ examined: 0, breached: 0 });
    expect(await deadlineSweep.run(deps(), wednesday)).toEqual({ examined: 1, breached: 1 });
    expect(await deadlineSweep.run(deps(), wednesday)).toEqual({ examined: 0, breached: 0 });
    expect(await deadlineSweep.run(deps(), new Date('2026-12-25T00:00:00Z'))).toEqual({ examined: 0, breached: 0 });
    const history = await subjectHistory(t.store.db, org.id, item.id);
    const breaches = history.filter((event) => event.type === 'DEADLINE_BREACHED');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ actor: { keyId: null, role: 'system' }, payload: { deadline: 'assess', dueAt: assessDue } });
    const [row] = await t.store.db.select().from(deadlines).where(eq(deadlines.itemId, item.id));
    expect(row).toMatchObject({ status: 'breached', breachedAt: wednesday.toISOString() });
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });

  it('writes each breach once when several sweeps run at the same moment', async () => {
    const { org } = await tibroItem();
    const account = await activeAccount(t.store, org, { handle: 'second' });
    for (let i = 0; i < 20; i++) await receivedItem(t.store, org, account.id);
    const results = await Promise.all([1, 2, 3, 4].map(() => deadlineSweep.run(deps(), wednesday)));
    expect(results.reduce((sum, r) => sum + (r.breached ?? 0), 0)).toBe(21);
    const all = await t.store.db.select().from(deadlines).where(eq(deadlines.orgId, org.id));
    expect(all.every((d) => d.status === 'breached')).toBe(true);
  });

  it('catches up after downtime: a first run a week late breaches everything that fell due in that week', async () => {
    const org = await organisation(t.store, 'avesta');
    const account = await activeAccount(t.store, org);
    const days = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
    for (const day of days) await receivedItem(t.store, org, account.id, { receivedAt: `${day}T09:00:00Z` });
    // Friday's item is due at the end of Monday 23 November; the server comes back on Tuesday.
    const result = await deadlineSweep.run(deps(), new Date('2026-11-24T06:00:00Z'));
    expect(result).toEqual({ examined: 5, breached: 5 });
  });

  it('pages through more deadlines due at one instant than a page holds, breaching each once', async () => {
    const org = await organisation(t.store, 'avesta');
    const account = await activeAccount(t.store, org);
    // 1,203 items received at the same moment: their assess deadlines tie, over two page ends.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const batch = await Promise.all(Array.from({ length: 401 }, () => receivedItem(t.store, org, account.id)));
      ids.push(...batch.map((item) => item.id));
    }
    expect(new Set((await t.store.db.select({ dueAt: deadlines.dueAt }).from(deadlines)).map((d) => d.dueAt))).toEqual(new Set([assessDue]));
    expect(await deadlineSweep.run(deps(), wednesday)).toEqual({ examined: 1203, breached: 1203 });
    const breaches = await t.store.db
      .select({ itemId: ledgerEvents.subjectId, n: count() })
      .from(ledgerEvents)
      .where(and(eq(ledgerEvents.orgId, org.id), eq(ledgerEvents.type, 'DEADLINE_BREACHED')))
      .groupBy(ledgerEvents.subjectId);
    expect(breaches.map((b) => b.itemId).sort()).toEqual([...ids].sort());
    expect(breaches.every((b) => b.n === 1)).toBe(true);
    expect(await deadlineSweep.run(deps(), wednesday)).toEqual({ examined: 0, breached: 0 });
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });

  it('starts each page with a seek in the index, not a sort of everything due', async () => {
    const { sql, params } = duePage(t.store.db, wednesday.toISOString(), { dueAt: assessDue, itemId: 'x' }).toSQL();
    const plan = (await t.store.client.execute({ sql: `explain query plan ${sql}`, args: params as never })).rows.map((row) => String(row.detail));
    expect(plan).toEqual([expect.stringMatching(/^SEARCH deadlines USING INDEX deadlines_status_due_item \(status=\? AND \(due_at,item_id\)>\(\?,\?\)/)]);
  });

  it('breaches every other due item when one item cannot be breached, then fails naming the count', async () => {
    const org = await organisation(t.store, 'avesta');
    const account = await activeAccount(t.store, org);
    const received = [];
    for (let i = 0; i < 5; i++) received.push(await receivedItem(t.store, org, account.id));
    // A damaged row: a state the machine does not have, so restoring it throws.
    const damaged = received[2]!;
    await t.store.client.execute({ sql: `update items set state = '{"handling":"lost","records":"open"}' where id = ?`, args: [damaged.id] });
    await expect(deadlineSweep.run(deps(), wednesday)).rejects.toThrow('1 item(s) could not be breached; 4 breached');
    const rows = await t.store.db.select().from(deadlines).where(eq(deadlines.orgId, org.id));
    expect(rows.filter((d) => d.status === 'breached').map((d) => d.itemId).sort()).toEqual(
      received.filter((item) => item !== damaged).map((item) => item.id).sort(),
    );
    expect(rows.find((d) => d.itemId === damaged.id)?.status).toBe('open');
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });

  it('leaves a deadline met in time alone, and records a late answer without a second breach (TI-6)', async () => {
    const { org, item } = await tibroItem();
    const assess = await applyItemEvent(t.store, {
      orgId: org.id, itemId: item.id, actor: officer, ifMatch: null, idempotency: null, now: t0,
      event: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' },
    });
    expect(assess.ok && assess.item.deadlines.map((d) => [d.kind, d.status])).toEqual([['assess', 'met'], ['answer', 'open']]);
    // 48 weekday hours from Mon 10:00 is Wed 10:00 local (09:00Z); the sweep runs on Thursday.
    expect(await deadlineSweep.run(deps(), new Date('2026-11-26T08:00:00Z'))).toEqual({ examined: 1, breached: 1 });
    const late = await applyItemEvent(t.store, {
      orgId: org.id, itemId: item.id, actor: officer, ifMatch: null, idempotency: null, now: new Date('2026-11-26T09:00:00Z'),
      event: { type: 'ANSWER', text: 'Sorry for the wait.' },
    });
    expect(late.ok && late.item.deadlines.find((d) => d.kind === 'answer')?.status).toBe('breached');
    const types = (await subjectHistory(t.store.db, org.id, item.id)).map((e) => e.type);
    expect(types).toEqual(['RECEIVED', 'ASSESS', 'DEADLINE_BREACHED', 'ANSWER']);
  });

  it('records a missed deadline before a late step even when no sweep has run', async () => {
    const { org, item } = await tibroItem();
    const late = await applyItemEvent(t.store, {
      orgId: org.id, itemId: item.id, actor: officer, ifMatch: 1, idempotency: null, now: wednesday,
      event: { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' },
    });
    expect(late.ok && late.item.version).toBe(3);
    const types = (await subjectHistory(t.store.db, org.id, item.id)).map((e) => e.type);
    expect(types).toEqual(['RECEIVED', 'DEADLINE_BREACHED', 'ASSESS']);
    expect(await deadlineSweep.run(deps(), wednesday)).toEqual({ examined: 0, breached: 0 });
  });

  it('cancels the answer deadline when an item is reassessed as needing no action', async () => {
    const { org, item } = await tibroItem();
    const step = (event: Parameters<typeof applyItemEvent>[1]['event']) =>
      applyItemEvent(t.store, { orgId: org.id, itemId: item.id, actor: officer, ifMatch: null, idempotency: null, now: t0, event });
    await step({ type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' });
    const reassessed = await step({ type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' });
    expect(reassessed.ok && reassessed.item.deadlines.find((d) => d.kind === 'answer')?.status).toBe('cancelled');
  });

  it('runs under a lease: a job whose lease another process holds does not run, and a run leaves a run row', async () => {
    await tibroItem();
    expect(await takeLease(t.store, 'deadlines', 'another-process', new Date(), 60_000)).toBe(true);
    expect(await runJob({ store: t.store, clock: () => new Date() }, deadlineSweep, wednesday)).toEqual({
      ran: false, reason: 'another process holds the lease',
    });
    // An expired lease (its holder died) is free again.
    const later = () => new Date(Date.now() + 120_000);
    expect(await runJob({ store: t.store, clock: later }, deadlineSweep, wednesday)).toEqual({ ran: true, counts: { examined: 1, breached: 1 } });
    const runs = await t.store.db.select().from(jobRuns);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'deadlines', asOf: wednesday.toISOString(), counts: { examined: 1, breached: 1 } });
  });

  it('runs again as of the same or an earlier instant, recording nothing twice and a run row each time', async () => {
    await tibroItem();
    const deps = { store: t.store, clock: () => new Date() };
    expect(await runJob(deps, deadlineSweep, wednesday)).toEqual({ ran: true, counts: { examined: 1, breached: 1 } });
    expect(await runJob(deps, deadlineSweep, wednesday)).toEqual({ ran: true, counts: { examined: 0, breached: 0 } });
    expect(await runJob(deps, deadlineSweep, new Date(wednesday.getTime() - 60_000))).toEqual({ ran: true, counts: { examined: 0, breached: 0 } });
    expect(await t.store.db.$count(ledgerEvents, eq(ledgerEvents.type, 'DEADLINE_BREACHED'))).toBe(1);
    expect(await t.store.db.select().from(jobRuns)).toHaveLength(3);
  });
});
