// Snapshot reminders (AV-11 yearly, TI-12 half-yearly as PDF/A-1, UP-10 April and September): a
// listed or reviewed account with no snapshot taken in the current period gets SNAPSHOT_DUE once;
// a SNAPSHOT taken in the period covers it.
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
      if (covered || context.snapshotDue?.period === period) return null;
      return { type: 'SNAPSHOT_DUE', period, startsAt, rule: rule.rule };
    });
    return { due };
  },
};
