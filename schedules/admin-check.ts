// Administrator check (TI-4): a listed or reviewed account that has fallen below the minimum
// number of administrators, or lost the substitute its policy asks for (TI-1), is flagged once;
// an AMEND that restores them clears the flag.
import { adminsShort } from '../machines/account.rules.ts';
import { liveStatuses, stepAccounts } from './account-steps.ts';
import type { Job } from './job.ts';

export const adminCheck: Job = {
  name: 'admin-check',
  schedule: '47 * * * *',
  async run({ store }, now) {
    const flagged = await stepAccounts(store, now, liveStatuses, ({ context }) => {
      if (context.adminsShort || !adminsShort(context.facts, context.rules)) return null;
      return {
        type: 'ADMINS_SHORT', adminCount: context.facts.adminCount, minAdmins: context.rules.minAdmins,
        hasSubstitute: context.facts.hasSubstitute, rule: context.rules.minAdminsRule,
      };
    });
    return { flagged };
  },
};
