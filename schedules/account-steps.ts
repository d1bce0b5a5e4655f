// What the account jobs share: visit every organisation's accounts in some states and let the
// job decide, per account, whether the system records an event. The machine's own guards make a
// repeated run a no-op (a flag is raised once, a state is left once), so each job is idempotent.
import { accountsInStatus, stepAccount, type AccountRow, type AccountStep } from '../db/accounts/accounts.ts';
import type { Store } from '../db/client.ts';
import { systemActor } from '../db/ledger/ledger.ts';
import { policyOf, type Organisation } from '../db/organisations.ts';
import { organisations } from '../db/schema.ts';
import type { AccountContext, AccountStatus } from '../machines/account.machine.ts';
import type { Policy } from '../machines/policy/policy.schema.ts';
import { accountStatusesTagged } from '../machines/account.step.ts';

export interface AccountVisit {
  org: Organisation;
  policy: Policy;
  account: AccountRow;
  context: AccountContext;
}

/** The statuses in which a channel is live on its platform and watched. */
export const liveStatuses: readonly AccountStatus[] = accountStatusesTagged('live');

export async function stepAccounts(
  store: Store,
  now: Date,
  statuses: readonly AccountStatus[],
  decide: (visit: AccountVisit) => Promise<AccountStep | null> | AccountStep | null,
): Promise<number> {
  let recorded = 0;
  for (const org of await store.db.select().from(organisations)) {
    const policy = policyOf(org);
    for (const account of await accountsInStatus(store.db, org.id, statuses)) {
      const event = await decide({ org, policy, account, context: account.context as AccountContext });
      if (!event) continue;
      const result = await stepAccount(store, { orgId: org.id, accountId: account.id, actor: systemActor, event, now });
      // Not allowed any more: someone else changed the account since it was read; the next run looks again.
      if (result.ok) recorded += 1;
    }
  }
  return recorded;
}
