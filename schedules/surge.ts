// Surge detection (TI-8): more than the policy's threshold of items assessed `criticism` on one
// account within its window flags the account, so that the responsible manager and the
// communications unit are consulted before official comments. SURGE_CONSULTED clears the flag;
// only criticism received after that counts towards the next one.
import { assessedSince } from '../db/accounts/account-activity.ts';
import { liveStatuses, stepAccounts } from './account-steps.ts';
import type { Job } from './job.ts';

export const surge: Job = {
  name: 'surge',
  schedule: '*/5 * * * *',
  async run({ store }, now) {
    const flagged = await stepAccounts(store, now, liveStatuses, async ({ policy, account, context }) => {
      const rule = policy.accounts.surge;
      if (!rule || context.surge !== null) return null;
      const windowStart = new Date(now.getTime() - rule.windowHours * 60 * 60 * 1000).toISOString();
      const after = [windowStart, context.surgeConsultedAt ?? ''].sort().at(-1)!;
      const count = await assessedSince(store.db, account.id, 'criticism', after, now.toISOString());
      if (count <= rule.threshold) return null;
      return { type: 'SURGE_FLAGGED', count, threshold: rule.threshold, windowHours: rule.windowHours, rule: rule.rule };
    });
    return { flagged };
  },
};
