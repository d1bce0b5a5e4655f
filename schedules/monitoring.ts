// Monitoring check (AV-6, TI-2): every weekday that has ended on which a listed or reviewed
// account had no MONITORED gets one MONITORING_MISSED { day }. Each (account, day) row is written
// once (its primary key) in the same transaction as the event, so two processes never record a
// day twice. Catches up from the last judged day, looking back at most `lookBackDays`.
import { eq } from 'drizzle-orm';
import { accountsInStatus, findAccount, stepAccountInTx } from '../db/accounts/accounts.ts';
import { systemActor } from '../db/ledger/ledger.ts';
import { policyOf } from '../db/organisations.ts';
import { accounts, monitoringDays, organisations } from '../db/schema.ts';
import type { AccountContext, AccountStatus } from '../machines/account.machine.ts';
import { localDate } from '../machines/policy/calendar.ts';
import { addDays, lastEndedDay, weekdaysBetween } from '../machines/policy/periods.ts';
import { liveStatuses } from './account-steps.ts';
import type { Job } from './job.ts';

/** How far back a first run, or a run after a long stop, judges days. */
const lookBackDays = 31;

export const monitoring: Job = {
  name: 'monitoring',
  schedule: '7 * * * *',
  async run({ store }, now) {
    let missed = 0;
    for (const org of await store.db.select().from(organisations)) {
      const policy = policyOf(org);
      const rule = policy.accounts.monitoring;
      if (!rule) continue;
      const last = lastEndedDay(policy, now);
      for (const account of await accountsInStatus(store.db, org.id, liveStatuses)) {
        // AV-6 asks it only of channels where the organisation can remove posts.
        if (rule.onlyWhereRemovable && !policy.platforms[account.platform as keyof typeof policy.platforms]?.canRemove) continue;
        const context = account.context as AccountContext;
        if (context.approvedAt === null) continue;
        // The approval day is judged from the next day on: the channel was not live all of it.
        const first = [addDays(localDate(policy, new Date(context.approvedAt)), 1), addDays(last, -lookBackDays + 1),
          account.monitoringCheckedThrough ? addDays(account.monitoringCheckedThrough, 1) : ''].sort().at(-1)!;
        if (first > last) continue;
        missed += await store.writes.run(async (tx, batch) => {
          // Closed since it was read: nothing to judge any more.
          const current = await findAccount(tx, org.id, account.id);
          if (!current || !liveStatuses.includes(current.status as AccountStatus)) return 0;
          let recorded = 0;
          for (const day of weekdaysBetween(policy, first, last)) {
            const row = await tx.insert(monitoringDays)
              .values({ accountId: account.id, day, status: 'missed', recordedAt: now.toISOString() })
              .onConflictDoNothing();
            if (row.rowsAffected === 0) continue; // watched that day, or already judged
            const result = await stepAccountInTx(tx, batch, {
              orgId: org.id, accountId: account.id, actor: systemActor, now, event: { type: 'MONITORING_MISSED', day, rule: rule.rule },
            });
            if (!result.ok) throw new Error(`MONITORING_MISSED refused for account ${account.id}: ${result.detail}`);
            recorded += 1;
          }
          await tx.update(accounts).set({ monitoringCheckedThrough: last }).where(eq(accounts.id, account.id));
          return recorded;
        });
      }
    }
    return { missed };
  },
};
