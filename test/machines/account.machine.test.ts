// account@2 over accountStepper.step(): approval refusals per preset with their rule ids, the
// review loop, snapshots and closing (AV-13, TI-12), the system flags (TI-4, TI-8, AV-11, UP-10),
// allowed events; and the calendar helpers the account schedules use (periods.ts).
import { describe, expect, it } from 'vitest';
import type { AccountMachineEvent } from '../../machines/account.events.ts';
import { accountClientEvents } from '../../machines/account.events.ts';
import { accountRulesOf, noProfile, type AccountFacts } from '../../machines/account.rules.ts';
import { accountStatus, accountStepper, startAccount, type AccountSnapshot } from '../../machines/account.step.ts';
import { addDays, lastEndedDay, snapshotPeriod, weekdaysBetween } from '../../machines/policy/periods.ts';
import type { ProfileItem } from '../../machines/policy/policy.schema.ts';
import { presets, type PresetName } from '../../machines/policy/presets.ts';

// ---------------------------------------------------------------------------------------------
// Driving the machine

const fullProfile: Record<ProfileItem, boolean> = {
  logo: true, siteLink: true, contact: true, publicRecordsNotice: true, moderationNotice: true,
};

const completeFacts: AccountFacts = {
  hasPurpose: true, hasAudience: true, hasResponsible: true, hasSubstitute: true, adminCount: 2, profile: fullProfile,
};

const at = (n: number) => new Date(Date.UTC(2026, 10, 23, 9) + n * 3_600_000).toISOString();
const sha = 'a'.repeat(64);

function start(preset: PresetName, facts: Partial<AccountFacts> = {}, platform = 'facebook'): AccountSnapshot {
  return startAccount({ platform, facts: { ...completeFacts, ...facts }, rules: accountRulesOf(presets[preset]) });
}

function ok(snapshot: AccountSnapshot, event: AccountMachineEvent): AccountSnapshot {
  const outcome = accountStepper.step(snapshot, event);
  if (!outcome.ok) throw new Error(`${event.type} was not accepted: ${outcome.code} ${outcome.detail}`);
  return outcome.snapshot;
}

function run(snapshot: AccountSnapshot, ...events: AccountMachineEvent[]): AccountSnapshot {
  return events.reduce(ok, snapshot);
}

const approve = (h = 0): AccountMachineEvent => ({ type: 'APPROVE', at: at(h) });
const snapshotEv = (h: number, extra: { final?: boolean; format?: 'pdf' | 'pdf/a-1' | 'png'; takenAt?: string } = {}): AccountMachineEvent => ({
  type: 'SNAPSHOT', sha256: sha, format: extra.format ?? 'pdf/a-1', takenAt: extra.takenAt ?? at(h), at: at(h),
  ...(extra.final !== undefined ? { final: extra.final } : {}),
});
const reviewDue = (h: number): AccountMachineEvent => ({ type: 'REVIEW_DUE', lastActivityAt: null, days: 7, rule: 'TI-5', at: at(h) });
const keep = (h: number): AccountMachineEvent => ({ type: 'KEEP', at: at(h) });
const close = (h: number): AccountMachineEvent => ({ type: 'CLOSE', reason: 'No longer used', at: at(h) });
const closed = (h: number): AccountMachineEvent => ({ type: 'CLOSED', at: at(h) });
const snapshotDue = (h: number, period: string, startsAt: string): AccountMachineEvent =>
  ({ type: 'SNAPSHOT_DUE', period, startsAt, rule: 'TI-12', at: at(h) });
const adminsShortEv = (h: number): AccountMachineEvent =>
  ({ type: 'ADMINS_SHORT', adminCount: 1, minAdmins: 2, hasSubstitute: true, rule: 'TI-4', at: at(h) });
const surgeFlagged = (h: number): AccountMachineEvent =>
  ({ type: 'SURGE_FLAGGED', count: 11, threshold: 10, windowHours: 24, rule: 'TI-8', at: at(h) });
const surgeConsulted = (h: number): AccountMachineEvent => ({ type: 'SURGE_CONSULTED', at: at(h) });
const amend = (h: number, facts: Partial<AccountFacts>): AccountMachineEvent =>
  ({ type: 'AMEND', facts: { ...completeFacts, ...facts }, at: at(h) });
const monitored = (h: number, day: string): AccountMachineEvent => ({ type: 'MONITORED', day, at: at(h) });
const missed = (h: number, day: string): AccountMachineEvent => ({ type: 'MONITORING_MISSED', day, rule: 'TI-2', at: at(h) });

function refusedWith(snapshot: AccountSnapshot, event: AccountMachineEvent) {
  const outcome = accountStepper.step(snapshot, event);
  if (outcome.ok || outcome.code !== 'refused') throw new Error(`${event.type}: expected a refusal, got ${JSON.stringify(outcome.ok ? 'ok' : outcome)}`);
  return outcome.rule;
}

function notAllowed(snapshot: AccountSnapshot, event: AccountMachineEvent) {
  const outcome = accountStepper.step(snapshot, event);
  return !outcome.ok && outcome.code === 'not_allowed';
}

// ---------------------------------------------------------------------------------------------
// Approval per preset

describe('APPROVE under each preset', () => {
  const cases: { preset: PresetName; decisionRule: string; minAdmins: number; substitute: boolean }[] = [
    { preset: 'avesta', decisionRule: 'AV-1', minAdmins: 1, substitute: true },
    { preset: 'lillesand', decisionRule: 'LI-5', minAdmins: 1, substitute: false },
    { preset: 'tibro', decisionRule: 'TI-1', minAdmins: 2, substitute: true },
    { preset: 'uppsala', decisionRule: 'UP-6', minAdmins: 1, substitute: false },
  ];

  for (const { preset, decisionRule, minAdmins, substitute } of cases) {
    describe(preset, () => {
      for (const missing of ['hasPurpose', 'hasAudience', 'hasResponsible'] as const) {
        it(`refuses a decision without ${missing} under ${decisionRule} (TI-1)`, () => {
          const proposed = start(preset, { [missing]: false });
          expect(refusedWith(proposed, approve())).toBe(decisionRule);
          expect(accountStatus(proposed)).toBe('proposed');
        });
      }

      it(substitute ? `refuses a decision without a substitute (${decisionRule})` : 'approves without a substitute', () => {
        const proposed = start(preset, { hasSubstitute: false });
        if (substitute) expect(refusedWith(proposed, approve())).toBe(decisionRule);
        else expect(accountStatus(ok(proposed, approve()))).toBe('active');
      });

      it(`asks for at least ${minAdmins} administrator(s) under ${presets[preset].accounts.minAdminsRule} (TI-4)`, () => {
        expect(refusedWith(start(preset, { adminCount: minAdmins - 1 }), approve())).toBe(presets[preset].accounts.minAdminsRule);
        expect(accountStatus(ok(start(preset, { adminCount: minAdmins }), approve()))).toBe('active');
      });

      it('approves a complete decision: active, approvedAt and activeSince are the event\'s instant', () => {
        const active = ok(start(preset), approve(3));
        expect(accountStatus(active)).toBe('active');
        expect(active.context.approvedAt).toBe(at(3));
        expect(active.context.activeSince).toBe(at(3));
      });
    });
  }

  it('under avesta asks the profile for logo, site link and contact (AV-3) and the public-records notice (AV-10)', () => {
    for (const item of ['logo', 'siteLink', 'contact'] as const) {
      expect(refusedWith(start('avesta', { profile: { ...fullProfile, [item]: false } }), approve())).toBe('AV-3');
    }
    expect(refusedWith(start('avesta', { profile: { ...fullProfile, publicRecordsNotice: false } }), approve())).toBe('AV-10');
    // Avesta names no moderation notice.
    expect(accountStatus(ok(start('avesta', { profile: { ...fullProfile, moderationNotice: false } }), approve()))).toBe('active');
  });

  it('under tibro asks the profile for contact (TI-2) and the moderation notice (TI-16)', () => {
    expect(refusedWith(start('tibro', { profile: { ...fullProfile, contact: false } }), approve())).toBe('TI-2');
    expect(refusedWith(start('tibro', { profile: { ...fullProfile, moderationNotice: false } }), approve())).toBe('TI-16');
    expect(accountStatus(ok(start('tibro', { profile: { ...noProfile, contact: true, moderationNotice: true } }), approve()))).toBe('active');
  });

  it('under lillesand and uppsala needs no profile at all', () => {
    for (const preset of ['lillesand', 'uppsala'] as const) {
      expect(accountStatus(ok(start(preset, { profile: noProfile }), approve()))).toBe('active');
    }
  });

  it('checks the decision before the administrators, and the administrators before the profile', () => {
    expect(refusedWith(start('tibro', { hasPurpose: false, adminCount: 0, profile: noProfile }), approve())).toBe('TI-1');
    expect(refusedWith(start('tibro', { adminCount: 1, profile: noProfile }), approve())).toBe('TI-4');
  });

  it('AMEND in proposed changes what approval sees', () => {
    const proposed = start('tibro', { adminCount: 1 });
    expect(refusedWith(proposed, approve())).toBe('TI-4');
    expect(accountStatus(run(proposed, amend(1, { adminCount: 2 }), approve(2)))).toBe('active');
  });

  it('APPROVE is not allowed once active', () => {
    expect(notAllowed(ok(start('tibro'), approve()), approve(1))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Review (TI-5, UP-6)

describe('review', () => {
  it('REVIEW_DUE only from active', () => {
    expect(notAllowed(start('tibro'), reviewDue(1))).toBe(true);
    const due = run(start('tibro'), approve(), reviewDue(1));
    expect(accountStatus(due)).toBe('review_due');
    expect(due.context.review).toEqual({ since: at(1), lastActivityAt: null });
    expect(notAllowed(due, reviewDue(2))).toBe(true);
  });

  it('KEEP returns review_due to active and restarts activeSince', () => {
    const active = ok(start('tibro'), approve(0));
    expect(notAllowed(active, keep(1))).toBe(true);
    const kept = run(active, reviewDue(200), keep(201));
    expect(accountStatus(kept)).toBe('active');
    expect(kept.context.activeSince).toBe(at(201));
    expect(kept.context.approvedAt).toBe(at(0));
    expect(kept.context.review).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Snapshots and closing (AV-13, TI-12)

describe('snapshots and closing', () => {
  it('refuses CLOSE without a final snapshot (AV-13) in every preset', () => {
    for (const preset of ['avesta', 'lillesand', 'tibro', 'uppsala'] as const) {
      const active = ok(start(preset), approve());
      expect(refusedWith(active, close(1))).toBe('AV-13');
      // An ordinary snapshot is not a final one.
      expect(refusedWith(ok(active, snapshotEv(1)), close(2))).toBe('AV-13');
    }
  });

  it('closes after SNAPSHOT final:true from active', () => {
    const closing = run(start('avesta'), approve(), snapshotEv(1, { final: true, format: 'png' }), close(2));
    expect(accountStatus(closing)).toBe('closing');
    expect(closing.context.closing).toEqual({ reason: 'No longer used', at: at(2) });
    expect(closing.context.finalSnapshot).toBe(true);
  });

  it('closes after SNAPSHOT final:true from review_due', () => {
    const due = run(start('tibro'), approve(), reviewDue(200));
    expect(refusedWith(due, close(201))).toBe('AV-13');
    expect(accountStatus(run(due, snapshotEv(201, { final: true }), close(202)))).toBe('closing');
  });

  it('a later ordinary snapshot keeps the final one on record', () => {
    const s = run(start('uppsala'), approve(), snapshotEv(1, { final: true, format: 'pdf' }), snapshotEv(2, { format: 'pdf' }));
    expect(s.context.finalSnapshot).toBe(true);
    expect(s.context.lastSnapshot?.final).toBe(false);
    expect(accountStatus(ok(s, close(3)))).toBe('closing');
  });

  it('under tibro refuses every snapshot that is not PDF/A-1 (TI-12)', () => {
    const active = ok(start('tibro'), approve());
    expect(refusedWith(active, snapshotEv(1, { format: 'pdf' }))).toBe('TI-12');
    expect(refusedWith(active, snapshotEv(1, { format: 'png', final: true }))).toBe('TI-12');
    const taken = ok(active, snapshotEv(1, { format: 'pdf/a-1' }));
    expect(taken.context.lastSnapshot).toEqual({ sha256: sha, format: 'pdf/a-1', takenAt: at(1), final: false });
  });

  it('other presets take any format', () => {
    for (const preset of ['avesta', 'lillesand', 'uppsala'] as const) {
      for (const format of ['pdf', 'png', 'pdf/a-1'] as const) {
        expect(accountStepper.step(ok(start(preset), approve()), snapshotEv(1, { format })).ok).toBe(true);
      }
    }
  });

  it('does not take SNAPSHOT before approval', () => {
    expect(notAllowed(start('uppsala'), snapshotEv(1, { format: 'pdf' }))).toBe(true);
  });

  it('closing accepts only SNAPSHOT and CLOSED', () => {
    const closing = run(start('tibro'), approve(), snapshotEv(1, { final: true }), close(2));
    for (const event of [
      approve(3), keep(3), close(3), monitored(3, '2026-11-23'), missed(3, '2026-11-24'), snapshotDue(3, '2027-01', '2026-12-31T23:00:00.000Z'),
      adminsShortEv(3), surgeFlagged(3), surgeConsulted(3), reviewDue(3), amend(3, { adminCount: 1 }),
    ]) {
      expect(notAllowed(closing, event), event.type).toBe(true);
    }
    // The TI-12 format rule still holds for snapshots while closing.
    expect(refusedWith(closing, snapshotEv(3, { format: 'png' }))).toBe('TI-12');
    const more = ok(closing, snapshotEv(3));
    expect(accountStatus(more)).toBe('closing');
    expect(accountStatus(ok(more, closed(4)))).toBe('closed');
  });

  it('closed is final and accepts nothing', () => {
    const done = run(start('uppsala'), approve(), snapshotEv(1, { final: true, format: 'pdf' }), close(2), closed(3));
    expect(accountStatus(done)).toBe('closed');
    expect(done.status).toBe('done');
    for (const event of [
      snapshotEv(4, { format: 'pdf' }), closed(4), approve(4), keep(4), close(4), monitored(4, '2026-11-23'),
      surgeConsulted(4), amend(4, {}), reviewDue(4),
    ]) {
      expect(notAllowed(done, event), event.type).toBe(true);
    }
    expect(accountStepper.allowed(done)).toEqual([]);
  });

  it('CLOSED is only taken in closing', () => {
    expect(notAllowed(ok(start('uppsala'), approve()), closed(1))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// System flags

describe('SNAPSHOT_DUE (AV-11, TI-12, UP-10)', () => {
  const sept = { period: '2026-09', startsAt: '2026-08-31T22:00:00.000Z' };
  const april = { period: '2027-04', startsAt: '2027-03-31T22:00:00.000Z' };

  it('is recorded once per period', () => {
    const due = run(start('uppsala'), approve(), snapshotDue(1, sept.period, sept.startsAt));
    expect(due.context.snapshotDue).toEqual(sept);
    expect(notAllowed(due, snapshotDue(2, sept.period, sept.startsAt))).toBe(true);
    // The next period is due again.
    expect(ok(due, snapshotDue(3, april.period, april.startsAt)).context.snapshotDue).toEqual(april);
  });

  it('is not recorded when the last snapshot is inside the period', () => {
    const taken = run(start('uppsala'), approve(), snapshotEv(1, { format: 'pdf', takenAt: '2026-09-10T08:00:00.000Z' }));
    expect(notAllowed(taken, snapshotDue(2, sept.period, sept.startsAt))).toBe(true);
    // A snapshot from before the period does not cover it.
    const old = run(start('uppsala'), approve(), snapshotEv(1, { format: 'pdf', takenAt: '2026-08-31T21:59:59.000Z' }));
    expect(ok(old, snapshotDue(2, sept.period, sept.startsAt)).context.snapshotDue).toEqual(sept);
  });

  it('a SNAPSHOT inside the due period clears it; one from before the period does not', () => {
    const due = run(start('uppsala'), approve(), snapshotDue(1, sept.period, sept.startsAt));
    const stale = ok(due, snapshotEv(2, { format: 'pdf', takenAt: '2026-08-30T10:00:00.000Z' }));
    expect(stale.context.snapshotDue).toEqual(sept);
    const cleared = ok(stale, snapshotEv(3, { format: 'pdf' }));
    expect(cleared.context.snapshotDue).toBeNull();
  });

  it('is taken in review_due too, not in proposed', () => {
    expect(notAllowed(start('uppsala'), snapshotDue(1, sept.period, sept.startsAt))).toBe(true);
    const due = run(start('uppsala'), approve(), reviewDue(1), snapshotDue(2, sept.period, sept.startsAt));
    expect(accountStatus(due)).toBe('review_due');
    expect(due.context.snapshotDue).toEqual(sept);
  });
});

describe('ADMINS_SHORT (TI-4)', () => {
  it('is recorded only when short, and only once', () => {
    const active = ok(start('tibro'), approve());
    expect(notAllowed(active, adminsShortEv(1))).toBe(true);
    const short = ok(active, amend(1, { adminCount: 1 }));
    expect(short.context.adminsShort).toBe(false);
    const flagged = ok(short, adminsShortEv(2));
    expect(flagged.context.adminsShort).toBe(true);
    expect(notAllowed(flagged, adminsShortEv(3))).toBe(true);
  });

  it('counts a lost substitute as short where the policy asks for one (TI-1)', () => {
    const noSubstitute = run(start('tibro'), approve(), amend(1, { hasSubstitute: false }));
    expect(ok(noSubstitute, adminsShortEv(2)).context.adminsShort).toBe(true);
    const lillesand = run(start('lillesand'), approve(), amend(1, { hasSubstitute: false }));
    expect(notAllowed(lillesand, adminsShortEv(2))).toBe(true);
  });

  it('an AMEND that restores the administrators clears the flag; one that does not keeps it', () => {
    const flagged = run(start('tibro'), approve(), amend(1, { adminCount: 1 }), adminsShortEv(2));
    const stillShort = ok(flagged, amend(3, { adminCount: 1, hasPurpose: true }));
    expect(stillShort.context.adminsShort).toBe(true);
    const restored = ok(stillShort, amend(4, { adminCount: 3 }));
    expect(restored.context.adminsShort).toBe(false);
    expect(restored.context.facts.adminCount).toBe(3);
    // Short again later: flagged again.
    expect(run(restored, amend(5, { adminCount: 1 }), adminsShortEv(6)).context.adminsShort).toBe(true);
  });
});

describe('SURGE_FLAGGED and SURGE_CONSULTED (TI-8)', () => {
  it('is flagged once, and SURGE_CONSULTED clears it', () => {
    const active = ok(start('tibro'), approve());
    expect(notAllowed(active, surgeConsulted(1))).toBe(true);
    const flagged = ok(active, surgeFlagged(1));
    expect(flagged.context.surge).toEqual({ flaggedAt: at(1), count: 11 });
    expect(notAllowed(flagged, surgeFlagged(2))).toBe(true);
    const consulted = ok(flagged, surgeConsulted(3));
    expect(consulted.context.surge).toBeNull();
    expect(consulted.context.surgeConsultedAt).toBe(at(3));
    expect(notAllowed(consulted, surgeConsulted(4))).toBe(true);
    expect(ok(consulted, surgeFlagged(5)).context.surge).toEqual({ flaggedAt: at(5), count: 11 });
  });
});

describe('monitoring bookkeeping (AV-6, TI-2)', () => {
  it('keeps the latest monitored and missed days and counts the missed ones', () => {
    const s = run(
      start('tibro'), approve(),
      monitored(30, '2026-11-25'), monitored(31, '2026-11-24'),
      missed(40, '2026-11-26'), missed(41, '2026-11-24'),
    );
    expect(s.context.lastMonitoredDay).toBe('2026-11-25');
    expect(s.context.lastMissedDay).toBe('2026-11-26');
    expect(s.context.missedDays).toBe(2);
  });
});

describe('allowed()', () => {
  it('lists client events only, never the system\'s', () => {
    const systemOnly = ['REVIEW_DUE', 'MONITORING_MISSED', 'SNAPSHOT_DUE', 'ADMINS_SHORT', 'SURGE_FLAGGED', 'CLOSED', 'AMEND'];
    expect(accountClientEvents).toEqual(['APPROVE', 'AMEND', 'KEEP', 'CLOSE', 'MONITORED', 'SNAPSHOT', 'SURGE_CONSULTED']);
    const closing = run(start('uppsala'), approve(), snapshotEv(1, { final: true, format: 'pdf' }), close(2));
    expect(accountStepper.allowed(closing)).toEqual(['SNAPSHOT']);
    for (const snapshot of [start('uppsala'), ok(start('uppsala'), approve()), closing]) {
      for (const type of accountStepper.allowed(snapshot)) {
        expect(accountClientEvents).toContain(type);
        if (type !== 'AMEND') expect(systemOnly).not.toContain(type);
      }
    }
  });

  it('in proposed: AMEND and APPROVE (when the decision is complete)', () => {
    expect(accountStepper.allowed(start('uppsala'))).toEqual(['APPROVE', 'AMEND']);
    expect(accountStepper.allowed(start('uppsala', { hasPurpose: false }))).toEqual(['AMEND']);
  });

  it('in active and review_due under uppsala', () => {
    const active = ok(start('uppsala'), approve());
    expect(accountStepper.allowed(active)).toEqual(['AMEND', 'MONITORED', 'SNAPSHOT']);
    const flagged = run(active, surgeFlagged(1), snapshotEv(2, { final: true, format: 'pdf' }), reviewDue(3));
    expect(accountStepper.allowed(flagged)).toEqual(['AMEND', 'KEEP', 'CLOSE', 'MONITORED', 'SNAPSHOT', 'SURGE_CONSULTED']);
  });

  it('lists SNAPSHOT under tibro too, where a PDF/A-1 snapshot is accepted (TI-12)', () => {
    const active = ok(start('tibro'), approve());
    expect(accountStepper.step(active, snapshotEv(1)).ok).toBe(true);
    expect(accountStepper.allowed(active)).toContain('SNAPSHOT');
  });
});

// ---------------------------------------------------------------------------------------------
// periods.ts

describe('periods', () => {
  const sweden = { country: 'SE', timeZone: 'Europe/Stockholm' } as const;

  it('snapshotPeriod for [4, 9]: the period turns at 00:00 local on 1 April', () => {
    expect(snapshotPeriod(sweden, new Date('2026-03-31T21:59:59Z'), [4, 9])).toEqual({
      period: '2025-09', startsAt: '2025-08-31T22:00:00.000Z',
    });
    expect(snapshotPeriod(sweden, new Date('2026-03-31T22:00:00Z'), [4, 9])).toEqual({
      period: '2026-04', startsAt: '2026-03-31T22:00:00.000Z',
    });
    expect(snapshotPeriod(sweden, new Date('2026-11-23T09:00:00Z'), [9, 4])).toEqual({
      period: '2026-09', startsAt: '2026-08-31T22:00:00.000Z',
    });
  });

  it('snapshotPeriod for [1]: the calendar year, from 00:00 local on 1 January', () => {
    expect(snapshotPeriod(sweden, new Date('2026-12-31T22:59:59Z'), [1])).toEqual({
      period: '2026-01', startsAt: '2025-12-31T23:00:00.000Z',
    });
    expect(snapshotPeriod(sweden, new Date('2026-12-31T23:00:00Z'), [1])).toEqual({
      period: '2027-01', startsAt: '2026-12-31T23:00:00.000Z',
    });
  });

  it('snapshotPeriod for [1, 7]: half years, July in summer time', () => {
    expect(snapshotPeriod(sweden, new Date('2026-06-30T21:59:59Z'), [1, 7])).toEqual({
      period: '2026-01', startsAt: '2025-12-31T23:00:00.000Z',
    });
    expect(snapshotPeriod(sweden, new Date('2026-06-30T22:00:00Z'), [1, 7])).toEqual({
      period: '2026-07', startsAt: '2026-06-30T22:00:00.000Z',
    });
  });

  it('weekdaysBetween skips weekends and Swedish holidays', () => {
    // Thu 24 Dec (Christmas Eve), Fri 25 Dec (Christmas), Sat 26, Sun 27, Mon 28.
    expect(weekdaysBetween(sweden, '2026-12-23', '2026-12-28')).toEqual(['2026-12-23', '2026-12-28']);
    expect(weekdaysBetween(sweden, '2026-11-20', '2026-11-24')).toEqual(['2026-11-20', '2026-11-23', '2026-11-24']);
    expect(weekdaysBetween(sweden, '2026-11-24', '2026-11-23')).toEqual([]);
    // Norway keeps Christmas Eve a working day but not Boxing Day.
    expect(weekdaysBetween({ country: 'NO', timeZone: 'Europe/Oslo' }, '2026-12-24', '2026-12-28')).toEqual(['2026-12-24', '2026-12-28']);
  });

  it('lastEndedDay is yesterday in the policy\'s zone, turning at local midnight', () => {
    expect(lastEndedDay(sweden, new Date('2026-11-23T22:59:59Z'))).toBe('2026-11-22');
    expect(lastEndedDay(sweden, new Date('2026-11-23T23:00:00Z'))).toBe('2026-11-23');
    // Summer time: midnight is 22:00 UTC.
    expect(lastEndedDay(sweden, new Date('2026-06-30T21:59:59Z'))).toBe('2026-06-29');
    expect(lastEndedDay(sweden, new Date('2026-06-30T22:00:00Z'))).toBe('2026-06-30');
  });

  it('addDays crosses months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
