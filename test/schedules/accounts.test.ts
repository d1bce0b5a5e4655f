// The account schedules with fixed clocks: review (TI-5), monitoring (AV-6, TI-2), snapshot
// reminders (UP-10), the administrator check (TI-4), surge detection (TI-8), and closing with the
// thinning of a closed channel's items (AV-13, AV-14, TI-13). Every scenario ends with a replay
// of the account's ledger that matches the stored snapshot.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amendAccount, applyAccountEvent, findAccount, type NewAccount } from '../../db/accounts/accounts.ts';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { findItem, ingestItem, type NewItem } from '../../db/items/items.ts';
import { subjectHistory, type Actor } from '../../db/ledger/ledger.ts';
import { policyOf, type Organisation } from '../../db/organisations.ts';
import { replayAccount } from '../../db/ledger/replay.ts';
import type { AccountEventBody } from '../../machines/account.events.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { accountClosing } from '../../schedules/account-closing.ts';
import { accountReview } from '../../schedules/account-review.ts';
import { adminCheck } from '../../schedules/admin-check.ts';
import type { Job } from '../../schedules/job.ts';
import { monitoring } from '../../schedules/monitoring.ts';
import { snapshots } from '../../schedules/snapshots.ts';
import { surge } from '../../schedules/surge.ts';
import { thinning } from '../../schedules/thinning.ts';
import { activeAccount, admin, integrator, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const dayMs = 24 * 60 * 60 * 1000;
const days = (n: number) => new Date(t0.getTime() + n * dayMs);
const hours = (n: number) => new Date(t0.getTime() + n * 60 * 60 * 1000);
const sha = 'b'.repeat(64);

describe('the account schedules', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(() => t.cleanup());

  const runJob = (job: Job, now: Date) => job.run({ store: t.store, clock: () => now }, now);

  async function account(org: Organisation, accountId: string) {
    const row = await findAccount(t.store.db, org.id, accountId);
    if (!row) throw new Error(`account ${accountId} not found`);
    return row;
  }

  async function events(org: Organisation, accountId: string, type?: string) {
    const history = await subjectHistory(t.store.db, org.id, accountId);
    return type ? history.filter((event) => event.type === type) : history;
  }

  async function send(org: Organisation, accountId: string, event: AccountEventBody, now: Date, actor: Actor = officer) {
    const result = await applyAccountEvent(t.store, { orgId: org.id, policy: policyOf(org), accountId, actor, event, now });
    if (!result.ok) throw new Error(`${event.type}: ${result.code} ${result.detail}`);
    return result.account;
  }

  async function itemStep(org: Organisation, itemId: string, event: ItemEventBody, now: Date, actor: Actor = officer) {
    const result = await applyItemEvent(t.store, { orgId: org.id, itemId, actor, ifMatch: null, idempotency: null, now, event });
    if (!result.ok) throw new Error(`${event.type}: ${result.detail}`);
    return result.item;
  }

  async function ingest(org: Organisation, accountId: string, now: Date, overrides: Partial<NewItem> = {}) {
    const result = await ingestItem(t.store, {
      orgId: org.id, actor: integrator, now,
      item: {
        accountId, externalId: `ext-${Math.random().toString(36).slice(2)}`, kind: 'comment', direction: 'inbound',
        author: { handle: 'resident', name: 'A Resident' }, text: 'This is badly done.', ...overrides,
      },
    });
    if (!result.ok) throw new Error(result.detail);
    return result.item;
  }

  async function expectReplayMatches(org: Organisation, accountId: string) {
    const replay = await replayAccount(t.store.db, org.id, accountId, new Date('2030-01-01T00:00:00Z'));
    expect(replay?.problem).toBeUndefined();
    expect(replay?.matchesStored).toBe(true);
    expect(replay?.status).toBe((await account(org, accountId)).status);
  }

  // -------------------------------------------------------------------------------------------
  describe('account-review under tibro (TI-5: 7 days)', () => {
    it('records nothing at 6 days and REVIEW_DUE at 8 days, once; the account leaves active', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);

      expect(await runJob(accountReview, days(6))).toEqual({ reviews: 0 });
      expect((await account(org, acc.id)).status).toBe('active');

      expect(await runJob(accountReview, days(8))).toEqual({ reviews: 1 });
      const row = await account(org, acc.id);
      expect(row.status).toBe('review_due');
      expect(await runJob(accountReview, days(8))).toEqual({ reviews: 0 });
      expect(await runJob(accountReview, days(9))).toEqual({ reviews: 0 });

      const reviews = await events(org, acc.id, 'REVIEW_DUE');
      expect(reviews).toHaveLength(1);
      expect(reviews[0]).toMatchObject({
        actor: { role: 'system' }, at: days(8).toISOString(), payload: { lastActivityAt: null, days: 7, rule: 'TI-5' },
      });
      await expectReplayMatches(org, acc.id);
    });

    it('an outbound item within the window prevents the review', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      const post = await ingest(org, acc.id, days(3), { kind: 'post', direction: 'outbound', text: 'The library opens at ten.' });

      expect(await runJob(accountReview, days(8))).toEqual({ reviews: 0 });
      expect((await account(org, acc.id)).status).toBe('active');
      // Seven days after the post, the account is quiet again.
      expect(await runJob(accountReview, days(11))).toEqual({ reviews: 1 });
      expect((await events(org, acc.id, 'REVIEW_DUE'))[0]?.payload).toMatchObject({ lastActivityAt: post.receivedAt });
      await expectReplayMatches(org, acc.id);
    });

    it('an inbound item does not count as activity', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      await ingest(org, acc.id, days(5));
      expect(await runJob(accountReview, days(8))).toEqual({ reviews: 1 });
    });

    it('KEEP restarts the clock', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      expect(await runJob(accountReview, days(8))).toEqual({ reviews: 1 });
      const kept = await send(org, acc.id, { type: 'KEEP' }, days(9));
      expect(kept.status).toBe('active');

      expect(await runJob(accountReview, days(15))).toEqual({ reviews: 0 });
      expect((await account(org, acc.id)).status).toBe('active');
      expect(await runJob(accountReview, days(17))).toEqual({ reviews: 1 });
      expect((await account(org, acc.id)).status).toBe('review_due');
      expect(await events(org, acc.id, 'REVIEW_DUE')).toHaveLength(2);
      await expectReplayMatches(org, acc.id);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('monitoring (AV-6, TI-2)', () => {
    it('under tibro records one MONITORING_MISSED per unmonitored ended weekday, never twice', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org); // approved Mon 2026-11-23
      await send(org, acc.id, { type: 'MONITORED', day: '2026-11-24' }, new Date('2026-11-24T10:00:00Z'));
      await send(org, acc.id, { type: 'MONITORED' }, new Date('2026-11-26T10:00:00Z')); // today: 2026-11-26

      // Mon 2026-11-30 09:00 UTC: the last ended day is Sun 11-29.
      const monday = new Date('2026-11-30T09:00:00Z');
      expect(await runJob(monitoring, monday)).toEqual({ missed: 2 });
      expect((await events(org, acc.id, 'MONITORING_MISSED')).map((e) => e.payload)).toEqual([
        { day: '2026-11-25', rule: 'TI-2' }, { day: '2026-11-27', rule: 'TI-2' },
      ]);
      expect(await runJob(monitoring, monday)).toEqual({ missed: 0 });
      expect(await runJob(monitoring, new Date('2026-11-30T20:00:00Z'))).toEqual({ missed: 0 });

      const row = await account(org, acc.id);
      expect(row.monitoringCheckedThrough).toBe('2026-11-29');
      expect(row.context).toMatchObject({ missedDays: 2, lastMissedDay: '2026-11-27', lastMonitoredDay: '2026-11-26' });
      await expectReplayMatches(org, acc.id);
    });

    it('skips weekends and Swedish holidays (Christmas Eve and Day)', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      expect(await runJob(monitoring, new Date('2026-11-30T09:00:00Z'))).toEqual({ missed: 4 }); // 24–27 Nov
      // Through Mon 28 Dec: 30 Nov–23 Dec (18 weekdays) and 28 Dec; not 24, 25 (holidays), 26, 27 (weekend).
      expect(await runJob(monitoring, new Date('2026-12-29T09:00:00Z'))).toEqual({ missed: 19 });
      const missedDays = (await events(org, acc.id, 'MONITORING_MISSED')).map((e) => e.payload.day);
      expect(missedDays).toHaveLength(23);
      expect(new Set(missedDays).size).toBe(23);
      expect(missedDays).not.toContain('2026-11-23'); // the approval day
      for (const day of ['2026-11-28', '2026-11-29', '2026-12-24', '2026-12-25', '2026-12-26', '2026-12-27']) {
        expect(missedDays).not.toContain(day);
      }
      expect(missedDays).toContain('2026-12-23');
      expect(missedDays.at(-1)).toBe('2026-12-28');
      await expectReplayMatches(org, acc.id);
    });

    it('does not judge the approval day or a day that has not ended', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      expect(await runJob(monitoring, new Date('2026-11-24T09:00:00Z'))).toEqual({ missed: 0 });
      expect(await runJob(monitoring, new Date('2026-11-24T22:59:00Z'))).toEqual({ missed: 0 });
      expect(await runJob(monitoring, new Date('2026-11-24T23:00:00Z'))).toEqual({ missed: 1 });
      expect((await events(org, acc.id, 'MONITORING_MISSED'))[0]?.payload).toEqual({ day: '2026-11-24', rule: 'TI-2' });
    });

    it('under avesta watches only platforms that can remove posts (X cannot)', async () => {
      const org = await organisation(t.store, 'avesta');
      const facebook = await activeAccount(t.store, org);
      const x = await activeAccount(t.store, org, { platform: 'x', handle: 'kommunen_x', url: 'https://x.com/kommunen' } satisfies Partial<NewAccount>);
      expect(await runJob(monitoring, new Date('2026-11-30T09:00:00Z'))).toEqual({ missed: 4 });
      expect((await events(org, facebook.id, 'MONITORING_MISSED')).map((e) => e.payload)).toEqual(
        ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'].map((day) => ({ day, rule: 'AV-6' })),
      );
      expect(await events(org, x.id, 'MONITORING_MISSED')).toEqual([]);
      await expectReplayMatches(org, facebook.id);
      await expectReplayMatches(org, x.id);
    });

    it('under uppsala and lillesand records nothing (no watch interval)', async () => {
      for (const preset of ['uppsala', 'lillesand']) {
        const org = await organisation(t.store, preset);
        await activeAccount(t.store, org);
      }
      expect(await runJob(monitoring, new Date('2026-11-30T09:00:00Z'))).toEqual({ missed: 0 });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('snapshot reminders under uppsala (UP-10: April and September)', () => {
    it('records SNAPSHOT_DUE for the period 2026-09 once', async () => {
      const org = await organisation(t.store, 'uppsala');
      const acc = await activeAccount(t.store, org);
      expect(await runJob(snapshots, t0)).toEqual({ due: 1 });
      expect(await runJob(snapshots, days(1))).toEqual({ due: 0 });
      const due = await events(org, acc.id, 'SNAPSHOT_DUE');
      expect(due).toHaveLength(1);
      expect(due[0]?.payload).toEqual({ period: '2026-09', startsAt: '2026-08-31T22:00:00.000Z', rule: 'UP-10' });
      expect((await account(org, acc.id)).context).toMatchObject({ snapshotDue: { period: '2026-09' } });

      // A snapshot in the period clears the reminder, and the job leaves it cleared.
      await send(org, acc.id, { type: 'SNAPSHOT', sha256: sha, format: 'pdf', takenAt: days(2).toISOString() }, days(2));
      expect((await account(org, acc.id)).context).toMatchObject({ snapshotDue: null });
      expect(await runJob(snapshots, days(3))).toEqual({ due: 0 });
      await expectReplayMatches(org, acc.id);
    });

    it('records nothing when a snapshot was taken after 2026-09-01', async () => {
      const org = await organisation(t.store, 'uppsala');
      const acc = await activeAccount(t.store, org);
      await send(org, acc.id, { type: 'SNAPSHOT', sha256: sha, format: 'png', takenAt: '2026-09-15T10:00:00+02:00' }, t0);
      expect(await runJob(snapshots, t0)).toEqual({ due: 0 });
      expect(await events(org, acc.id, 'SNAPSHOT_DUE')).toEqual([]);
      await expectReplayMatches(org, acc.id);
    });

    it('a snapshot from before the period does not cover it', async () => {
      const org = await organisation(t.store, 'uppsala');
      const acc = await activeAccount(t.store, org);
      await send(org, acc.id, { type: 'SNAPSHOT', sha256: sha, format: 'pdf', takenAt: '2026-08-31T23:59:00+02:00' }, t0);
      expect(await runJob(snapshots, t0)).toEqual({ due: 1 });
      await expectReplayMatches(org, acc.id);
    });

    it('records the next period when it begins (2027-04)', async () => {
      const org = await organisation(t.store, 'uppsala');
      const acc = await activeAccount(t.store, org);
      expect(await runJob(snapshots, t0)).toEqual({ due: 1 });
      expect(await runJob(snapshots, new Date('2027-03-31T21:59:00Z'))).toEqual({ due: 0 });
      expect(await runJob(snapshots, new Date('2027-03-31T22:00:00Z'))).toEqual({ due: 1 });
      expect((await events(org, acc.id, 'SNAPSHOT_DUE')).map((e) => e.payload.period)).toEqual(['2026-09', '2027-04']);
      await expectReplayMatches(org, acc.id);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('admin-check under tibro (TI-4)', () => {
    it('flags an account amended to one administrator once; restoring them clears the flag', async () => {
      const org = await organisation(t.store, 'tibro');
      const short = await activeAccount(t.store, org);
      const fine = await activeAccount(t.store, org, { handle: 'kommunen2' });
      expect(await runJob(adminCheck, t0)).toEqual({ flagged: 0 });

      const amended = await amendAccount(t.store, {
        orgId: org.id, accountId: short.id, actor: admin, now: hours(1),
        changes: { admins: [{ name: 'Admin Ett', email: 'a1@example.org' }] },
      });
      expect(amended.ok).toBe(true);
      expect(await runJob(adminCheck, hours(2))).toEqual({ flagged: 1 });
      expect(await runJob(adminCheck, hours(3))).toEqual({ flagged: 0 });
      const flags = await events(org, short.id, 'ADMINS_SHORT');
      expect(flags).toHaveLength(1);
      expect(flags[0]?.payload).toEqual({ adminCount: 1, minAdmins: 2, hasSubstitute: true, rule: 'TI-4' });
      expect(await events(org, fine.id, 'ADMINS_SHORT')).toEqual([]);
      expect((await account(org, short.id)).context).toMatchObject({ adminsShort: true });

      const restored = await amendAccount(t.store, {
        orgId: org.id, accountId: short.id, actor: admin, now: hours(4),
        changes: { admins: [{ name: 'Admin Ett', email: 'a1@example.org' }, { name: 'Admin Tre', email: 'a3@example.org' }] },
      });
      expect(restored.ok && restored.account.context).toMatchObject({ adminsShort: false });
      expect(await runJob(adminCheck, hours(5))).toEqual({ flagged: 0 });
      await expectReplayMatches(org, short.id);
    });

    it('flags an account that lost its substitute', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      await amendAccount(t.store, { orgId: org.id, accountId: acc.id, actor: admin, now: hours(1), changes: { substitute: null } });
      expect(await runJob(adminCheck, hours(2))).toEqual({ flagged: 1 });
      expect((await events(org, acc.id, 'ADMINS_SHORT'))[0]?.payload).toMatchObject({ hasSubstitute: false, adminCount: 2 });
      await expectReplayMatches(org, acc.id);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('surge under tibro (TI-8: more than 10 within 24 h)', () => {
    const criticism: ItemEventBody = { type: 'ASSESS', decision: 'no_action', categories: ['criticism'], registration: 'not_required' };

    async function criticise(org: Organisation, accountId: string, n: number, at: Date) {
      for (let i = 0; i < n; i++) {
        const item = await ingest(org, accountId, at);
        await itemStep(org, item.id, criticism, at);
      }
    }

    it('11 items assessed as criticism flag the account, once', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      await criticise(org, acc.id, 11, hours(1));
      expect(await runJob(surge, hours(2))).toEqual({ flagged: 1 });
      expect(await runJob(surge, hours(3))).toEqual({ flagged: 0 });
      const flags = await events(org, acc.id, 'SURGE_FLAGGED');
      expect(flags).toHaveLength(1);
      expect(flags[0]?.payload).toEqual({ count: 11, threshold: 10, windowHours: 24, rule: 'TI-8' });
      expect((await account(org, acc.id)).context).toMatchObject({ surge: { flaggedAt: hours(2).toISOString(), count: 11 } });
      await expectReplayMatches(org, acc.id);
    });

    it('10 do not; nor do 11 spread over more than 24 hours, nor unassessed or other categories', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      await criticise(org, acc.id, 10, hours(1));
      await ingest(org, acc.id, hours(1)); // not assessed
      const praise = await ingest(org, acc.id, hours(1));
      await itemStep(org, praise.id, { ...criticism, categories: ['praise'] } as ItemEventBody, hours(1));
      expect(await runJob(surge, hours(2))).toEqual({ flagged: 0 });
      // One more, 25 hours after the first ten: only one in the window.
      await criticise(org, acc.id, 1, hours(26));
      expect(await runJob(surge, hours(26))).toEqual({ flagged: 0 });
      expect(await events(org, acc.id, 'SURGE_FLAGGED')).toEqual([]);
    });

    it('after SURGE_CONSULTED only newer criticism counts', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      await criticise(org, acc.id, 11, hours(1));
      expect(await runJob(surge, hours(2))).toEqual({ flagged: 1 });
      const consulted = await send(org, acc.id, { type: 'SURGE_CONSULTED' }, hours(3));
      expect(consulted.context).toMatchObject({ surge: null, surgeConsultedAt: hours(3).toISOString() });

      // The eleven from before the consultation are still inside 24 hours, but no longer count.
      await criticise(org, acc.id, 10, hours(4));
      expect(await runJob(surge, hours(5))).toEqual({ flagged: 0 });
      await criticise(org, acc.id, 1, hours(5));
      expect(await runJob(surge, hours(6))).toEqual({ flagged: 1 });
      const flags = await events(org, acc.id, 'SURGE_FLAGGED');
      expect(flags.map((e) => e.payload.count)).toEqual([11, 11]);
      await expectReplayMatches(org, acc.id);
    });

    it('under avesta (no surge rule) flags nothing', async () => {
      const org = await organisation(t.store, 'avesta');
      const acc = await activeAccount(t.store, org);
      await criticise(org, acc.id, 12, hours(1));
      expect(await runJob(surge, hours(2))).toEqual({ flagged: 0 });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('closing (AV-13, AV-14, TI-13) under tibro', () => {
    const done: ItemEventBody = { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' };

    it('CLOSE → closing; thinning takes handled, unregistered items at once; CLOSED when nothing is unsettled', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      const handled = await receivedItem(t.store, org, acc.id);
      await itemStep(org, handled.id, done, hours(1));
      const registered = await receivedItem(t.store, org, acc.id);
      await itemStep(org, registered.id, done, hours(1));
      await itemStep(org, registered.id, { type: 'REGISTER', number: 'KS 2026/7' }, hours(2), registrar);
      const pending = await receivedItem(t.store, org, acc.id);

      // While the channel is in use, a handled item waits its six months.
      expect(await runJob(thinning, days(1))).toEqual({ thinned: 0, decisions: 0 });

      const refused = await applyAccountEvent(t.store, {
        orgId: org.id, policy: policyOf(org), accountId: acc.id, actor: officer, now: days(1), event: { type: 'CLOSE', reason: 'Not used' },
      });
      expect(refused).toMatchObject({ ok: false, code: 'refused', rule: 'AV-13' });
      await send(org, acc.id, { type: 'SNAPSHOT', sha256: sha, format: 'pdf/a-1', takenAt: days(1).toISOString(), final: true }, days(1));
      const closing = await send(org, acc.id, { type: 'CLOSE', reason: 'Not used' }, days(1));
      expect(closing.status).toBe('closing');

      // Thinned at once (not after six months); registered and unhandled items stay.
      expect(await runJob(thinning, days(2))).toEqual({ thinned: 1, decisions: 1 });
      expect((await findItem(t.store.db, org.id, handled.id))?.status).toBe('thinned');
      expect((await findItem(t.store.db, org.id, registered.id))?.status).toBe('registered');
      expect((await findItem(t.store.db, org.id, pending.id))?.status).toBe('received');

      // An item not yet handled keeps the account in closing.
      expect(await runJob(accountClosing, days(2))).toEqual({ closed: 0 });
      expect((await account(org, acc.id)).status).toBe('closing');

      await itemStep(org, pending.id, done, days(3));
      expect(await runJob(accountClosing, days(3))).toEqual({ closed: 0 });
      expect(await runJob(thinning, days(3))).toEqual({ thinned: 1, decisions: 1 });
      expect(await runJob(accountClosing, days(3))).toEqual({ closed: 1 });
      expect((await account(org, acc.id)).status).toBe('closed');
      expect(await runJob(accountClosing, days(4))).toEqual({ closed: 0 });
      expect(await events(org, acc.id, 'CLOSED')).toHaveLength(1);
      expect((await events(org, acc.id)).map((e) => e.type)).toEqual(['PROPOSED', 'APPROVE', 'SNAPSHOT', 'CLOSE', 'CLOSED']);
      await expectReplayMatches(org, acc.id);
    });

    it('an item whose registration is required is not thinned and keeps the account closing until registered', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      const required = await receivedItem(t.store, org, acc.id);
      await itemStep(org, required.id, { ...done, registration: 'required' } as ItemEventBody, hours(1));
      await send(org, acc.id, { type: 'SNAPSHOT', sha256: sha, format: 'pdf/a-1', takenAt: hours(2).toISOString(), final: true }, hours(2));
      await send(org, acc.id, { type: 'CLOSE', reason: 'Not used' }, hours(2));

      expect(await runJob(thinning, days(1))).toEqual({ thinned: 0, decisions: 0 });
      expect(await runJob(accountClosing, days(1))).toEqual({ closed: 0 });
      await itemStep(org, required.id, { type: 'REGISTER', number: 'KS 2026/8' }, days(2), registrar);
      expect(await runJob(accountClosing, days(2))).toEqual({ closed: 1 });
      await expectReplayMatches(org, acc.id);
    });

    it('an account closing with no items at all is closed at the next run; active accounts are untouched', async () => {
      const org = await organisation(t.store, 'tibro');
      const acc = await activeAccount(t.store, org);
      const other = await activeAccount(t.store, org, { handle: 'kommunen2' });
      await send(org, acc.id, { type: 'SNAPSHOT', sha256: sha, format: 'pdf/a-1', takenAt: hours(1).toISOString(), final: true }, hours(1));
      expect(await runJob(accountClosing, hours(2))).toEqual({ closed: 0 });
      await send(org, acc.id, { type: 'CLOSE', reason: 'Not used' }, hours(2));
      expect(await runJob(accountClosing, hours(3))).toEqual({ closed: 1 });
      expect((await account(org, other.id)).status).toBe('active');
      await expectReplayMatches(org, acc.id);
    });
  });
});
