// Snapshot reminders (AV-11 yearly, TI-12 half-yearly as PDF/A-1, UP-10 April and September): a
// listed or reviewed account with no snapshot taken in the current period gets SNAPSHOT_DUE once;
// a SNAPSHOT taken in the period covers it. The period key in the account's context makes it once:
// a run as of an earlier instant after a later one never flags an earlier period over a later one.
import { snapshotPeriod } from '../machines/policy/periods.ts';
import { liveStatuses, stepAccounts } from './account-steps.ts';
import type { Job } from './job.ts';

export const snapshots: Job = {
  name: 'snapshots',
  schedule: '37 * * * *',
  async run({ store }, now) {
    const due = await stepAccounts(store, now, liveStatuses, ({ policy, context }) => {
      const rule = policy.accounts.snapshots;
      if (!rule) return null;
      const { period, startsAt } = snapshotPeriod(policy, now, rule.months);
      const covered = context.lastSnapshot !== null && context.lastSnapshot.takenAt >= startsAt;
      // Periods are `yyyy-MM`, so they compare as strings.
      if (covered || (context.snapshotDue !== null && context.snapshotDue.period >= period)) return null;
      return { type: 'SNAPSHOT_DUE', period, startsAt, rule: rule.rule };
    });
    return { due };
  },
};
