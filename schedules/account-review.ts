// Inactive-account review (TI-5, UP-6): an active account with no outbound item for longer than
// the policy's threshold moves to review_due, which takes it off the public register until an
// officer answers KEEP (the clock restarts) or CLOSE. Catches up: it judges the state at `now`.
import { lastOutboundAt } from '../db/accounts/account-activity.ts';
import { stepAccounts } from './account-steps.ts';
import type { Job } from './job.ts';

const dayMs = 24 * 60 * 60 * 1000;

export const accountReview: Job = {
  name: 'account-review',
  schedule: '23 * * * *',
  async run({ store }, now) {
    const reviews = await stepAccounts(store, now, ['active'], async ({ policy, account, context }) => {
      const { inactivityDays, inactivityRule } = policy.accounts;
      const threshold = new Date(now.getTime() - inactivityDays * dayMs).toISOString();
      const lastOutbound = await lastOutboundAt(store.db, account.id);
      const lastActivity = [context.activeSince, lastOutbound].filter((at) => at !== null).sort().at(-1) ?? null;
      if (lastActivity !== null && lastActivity >= threshold) return null;
      return { type: 'REVIEW_DUE', lastActivityAt: lastOutbound, days: inactivityDays, rule: inactivityRule };
    });
    return { reviews };
  },
};
