// Upgrading live account@1 accounts to account@2 (DESIGN.md: a new machine version ships with a
// migration of live snapshots). Each upgrade is an UPGRADED event in the account's own history
// carrying the new context, so replay runs the old events under account@1 and the rest under
// account@2, and nothing is reinterpreted silently. Idempotent: upgraded rows are not selected again.
import { and, eq } from 'drizzle-orm';
import { accountMachineVersion } from '../../machines/account.machine.ts';
import { accountRulesOf } from '../../machines/account.rules.ts';
import { startAccount } from '../../machines/account.step.ts';
import { accountV1Version } from '../../machines/account.v1.machine.ts';
import { accountFacts } from './accounts.ts';
import type { Store } from '../client.ts';
import { commitMigration } from '../write/apply-event.ts';
import { findOrganisation, policyOf } from '../organisations.ts';
import { accounts, ledgerEvents } from '../schema.ts';

export async function upgradeAccounts(store: Store, now: Date): Promise<number> {
  const stale = await store.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.machine, accountV1Version));
  let upgraded = 0;
  for (const { id } of stale) {
    const done = await store.writes.run(async (tx, batch) => {
      const [row] = await tx.select().from(accounts).where(and(eq(accounts.id, id), eq(accounts.machine, accountV1Version)));
      const org = row ? await findOrganisation(tx, row.orgId) : null;
      if (!row || !org) return false;
      const fresh = startAccount({ platform: row.platform, facts: accountFacts(row), rules: accountRulesOf(policyOf(org)) });
      // account@1 knew only proposed and active; an active one started its clock at approval.
      const [approval] = await tx
        .select({ at: ledgerEvents.at })
        .from(ledgerEvents)
        .where(and(eq(ledgerEvents.subjectId, row.id), eq(ledgerEvents.type, 'APPROVE')));
      const approvedAt = row.status === 'active' ? (approval?.at ?? row.updatedAt) : null;
      const context = { ...fresh.context, approvedAt, activeSince: approvedAt };
      await commitMigration(tx, batch, {
        subject: 'account', row, to: accountMachineVersion, type: 'UPGRADED', next: { value: row.state, context }, now,
        payload: { fromMachine: accountV1Version },
      });
      return true;
    });
    if (done) upgraded += 1;
  }
  return upgraded;
}
