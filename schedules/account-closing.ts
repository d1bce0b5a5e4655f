// Closing accounts (AV-13, AV-14, TI-13): once CLOSE has saved the channel, the thinning job thins
// its items of temporary value at once and officers register the rest; when nothing of the
// account is left unregistered or unthinned, the system records CLOSED. Runs after thinning.
import { unsettledItems } from '../db/accounts/account-activity.ts';
import { stepAccounts } from './account-steps.ts';
import type { Job } from './job.ts';

export const accountClosing: Job = {
  name: 'account-closing',
  schedule: '27 * * * *',
  async run({ store }, now) {
    const closed = await stepAccounts(store, now, ['closing'], async ({ account }) =>
      (await unsettledItems(store.db, account.id)) === 0 ? { type: 'CLOSED' } : null,
    );
    return { closed };
  },
};
