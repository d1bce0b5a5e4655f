// The schedules follow the clock: a run as of a later instant (`diarium sweep --now`) never stops
// the clock-driven runs after it, and every job is idempotent on its own rows, so a run repeated
// as of the same instant, or as of an earlier instant after a later one, records nothing twice.
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amendAccount, applyAccountEvent } from '../../db/accounts/accounts.ts';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { ingestItem } from '../../db/items/items.ts';
import { subjectHistory } from '../../db/ledger/ledger.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { policyOf, type Organisation } from '../../db/organisations.ts';
import { deadlines, jobRuns, ledgerEvents, monitoringDays, thinningDecisions } from '../../db/schema.ts';
import type { AccountEventBody } from '../../machines/account.events.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { deadlineSweep } from '../../schedules/deadline-sweep.ts';
import { jobs, runJobs } from '../../schedules/index.ts';
import { runJob, type JobOutcome } from '../../schedules/job.ts';
import { activeAccount, admin, integrator, officer, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const dayMs = 24 * 60 * 60 * 1000;
const days = (n: number) => new Date(t0.getTime() + n * dayMs);
const noAction = (category: string): ItemEventBody =>
  ({ type: 'ASSESS', decision: 'no_action', categories: [category], registration: 'not_required' }) as ItemEventBody;

describe('the schedules follow the clock', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(() => t.cleanup());

  const deps = () => ({ store: t.store, clock: () => new Date() });

  async function itemStep(org: Organisation, itemId: string, event: ItemEventBody, now: Date) {
    const result = await applyItemEvent(t.store, { orgId: org.id, itemId, actor: officer, ifMatch: null, idempotency: null, now, event });
    if (!result.ok) throw new Error(`${event.type}: ${result.detail}`);
  }

  async function accountStep(org: Organisation, accountId: string, event: AccountEventBody, now: Date) {
    const result = await applyAccountEvent(t.store, { orgId: org.id, policy: policyOf(org), accountId, actor: officer, event, now });
    if (!result.ok) throw new Error(`${event.type}: ${result.detail}`);
  }

  /**
   * Work for every job under Tibro: an unassessed item (deadlines), a closing account with a
   * handled item (thinning, then account-closing), two quiet live accounts that are never
   * monitored and have no snapshot (account-review, monitoring, snapshots), one of them amended
   * to one administrator (admin-check), and 11 items assessed as criticism at `criticismAt` (surge).
   */
  async function everyJobHasWork(criticismAt: Date) {
    const org = await organisation(t.store, 'tibro');
    const quiet = await activeAccount(t.store, org);
    const short = await activeAccount(t.store, org, { handle: 'short' });
    const closing = await activeAccount(t.store, org, { handle: 'closing' });
    await receivedItem(t.store, org, quiet.id);
    const handled = await receivedItem(t.store, org, closing.id);
    await itemStep(org, handled.id, noAction('praise'), days(0.1));
    await accountStep(org, closing.id, { type: 'SNAPSHOT', sha256: 'c'.repeat(64), format: 'pdf/a-1', takenAt: days(0.2).toISOString(), final: true }, days(0.2));
    await accountStep(org, closing.id, { type: 'CLOSE', reason: 'Not used' }, days(0.2));
    const amended = await amendAccount(t.store, {
      orgId: org.id, accountId: short.id, actor: admin, now: days(0.3), changes: { admins: [{ name: 'Admin Ett', email: 'a1@example.org' }] },
    });
    if (!amended.ok) throw new Error('AMEND refused');
    for (let i = 0; i < 11; i++) {
      const result = await ingestItem(t.store, {
        orgId: org.id, actor: integrator, now: criticismAt,
        item: { accountId: short.id, externalId: `crit-${i}`, kind: 'comment', direction: 'inbound', author: { handle: 'critic' }, text: 'Badly done.' },
      });
      if (!result.ok) throw new Error(result.detail);
      await itemStep(org, result.item.id, noAction('criticism'), criticismAt);
    }
    return org;
  }

  /** What the jobs have recorded: rows whose count changes whenever any job records anything. */
  async function recorded() {
    const rows = async (table: typeof ledgerEvents | typeof thinningDecisions | typeof monitoringDays) =>
      (await t.store.db.select({ n: count() }).from(table))[0]!.n;
    return {
      events: await rows(ledgerEvents),
      decisions: await rows(thinningDecisions),
      monitoringDays: await rows(monitoringDays),
      breached: await t.store.db.$count(deadlines, eq(deadlines.status, 'breached')),
    };
  }

  function countsOf(outcomes: Record<string, JobOutcome>) {
    return Object.fromEntries(Object.entries(outcomes).map(([job, outcome]) => [job, outcome.ran ? outcome.counts : outcome.reason]));
  }

  const nothing = {
    deadlines: { examined: 0, breached: 0 }, thinning: { thinned: 0, decisions: 0 }, 'account-closing': { closed: 0 },
    'account-review': { reviews: 0 }, monitoring: { missed: 0 }, snapshots: { due: 0 }, 'admin-check': { flagged: 0 }, surge: { flagged: 0 },
    checkpoints: { created: 0, withoutKey: 1 },
  };

  it('a clock-driven run after a run as of a later instant still breaches a deadline that falls due between them', async () => {
    const org = await organisation(t.store, 'tibro');
    const account = await activeAccount(t.store, org);
    const first = await receivedItem(t.store, org, account.id);
    // An operator's mistyped `diarium sweep --now` five days ahead breaches what is due by then.
    expect(await runJob(deps(), deadlineSweep, days(5))).toEqual({ ran: true, counts: { examined: 1, breached: 1 } });

    // A new item, due at the end of Tue 24 November; the clock reaches Wednesday morning.
    const second = await receivedItem(t.store, org, account.id);
    expect(second.deadlines).toEqual([{ kind: 'assess', dueAt: '2026-11-24T23:00:00.000Z', status: 'open' }]);
    const wednesday = new Date('2026-11-25T08:00:00Z');
    expect(await runJob(deps(), deadlineSweep, wednesday)).toEqual({ ran: true, counts: { examined: 1, breached: 1 } });

    const breaches = async (itemId: string) =>
      (await subjectHistory(t.store.db, org.id, itemId)).filter((e) => e.type === 'DEADLINE_BREACHED').map((e) => e.at);
    expect(await breaches(first.id)).toEqual([days(5).toISOString()]);
    expect(await breaches(second.id)).toEqual([wednesday.toISOString()]);
    const runs = await t.store.db.select().from(jobRuns).orderBy(jobRuns.startedAt);
    expect(runs.map((r) => [r.asOf, r.counts])).toEqual([
      [days(5).toISOString(), { examined: 1, breached: 1 }],
      [wednesday.toISOString(), { examined: 1, breached: 1 }],
    ]);
  });

  it('every job records its breaches, flags and thinnings once when a run repeats as of the same instant', async () => {
    const now = days(10); // Thu 3 December 2026
    await everyJobHasWork(days(9.5));
    const before = await recorded();
    expect(countsOf(await runJobs(deps(), jobs, now))).toEqual({
      deadlines: { examined: 1, breached: 1 }, thinning: { thinned: 1, decisions: 1 }, 'account-closing': { closed: 1 },
      // Tue 24 November to Wed 2 December: seven weekdays on each of the two live accounts (TI-2).
      'account-review': { reviews: 2 }, monitoring: { missed: 14 }, snapshots: { due: 2 }, 'admin-check': { flagged: 1 }, surge: { flagged: 1 },
      checkpoints: { created: 0, withoutKey: 1 },
    });
    const after = await recorded();
    expect(after.events).toBeGreaterThan(before.events);

    expect(countsOf(await runJobs(deps(), jobs, now))).toEqual(nothing);
    expect(await recorded()).toEqual(after);
    // Each run is still recorded, with its counts.
    expect(await t.store.db.$count(jobRuns)).toBe(2 * jobs.length);
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });

  it('a run as of an earlier instant after a later one records nothing twice, not even an earlier snapshot period', async () => {
    const later = new Date('2027-01-12T09:00:00Z'); // Tibro's period 2027-01 (TI-12)
    const earlier = days(10); // Thu 3 December 2026, in the period 2026-07
    await everyJobHasWork(new Date(later.getTime() - 2 * 60 * 60 * 1000));
    const outcomes = countsOf(await runJobs(deps(), jobs, later));
    for (const job of jobs) expect(Object.values(outcomes[job.name] as Record<string, number>).some((n) => n > 0), job.name).toBe(true);
    const after = await recorded();

    expect(countsOf(await runJobs(deps(), jobs, earlier))).toEqual(nothing);
    expect(countsOf(await runJobs(deps(), jobs, later))).toEqual(nothing);
    expect(await recorded()).toEqual(after);
    const periods = await t.store.db.select({ payload: ledgerEvents.payload }).from(ledgerEvents).where(eq(ledgerEvents.type, 'SNAPSHOT_DUE'));
    expect(periods.map((row) => (row.payload as { period: string }).period)).toEqual(['2027-01', '2027-01']);
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });
});
