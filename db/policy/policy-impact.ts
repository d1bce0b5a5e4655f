// What a policy change would do to live work, read without writing (PUT /v1/policy?dryRun=true):
// open deadlines of a kind whose window changes (they keep their due instant; the same window
// opened now would be due elsewhere), live accounts the new version's account rules would flag
// (TI-4's minimum of administrators, TI-1's substitute), and live items not registered that the new
// version would require registered (UP-8's all items, AV-8's categories).
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import { adminsShort } from '../../machines/account.rules.ts';
import { accountRulesOf } from '../../machines/account.rules.ts';
import { dueAt } from '../../machines/policy/calendar.ts';
import { canonicalJson } from '../ledger/hashing.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { accountFacts } from '../accounts/accounts.ts';
import type { Db } from '../client.ts';
import { accounts, deadlines, items } from '../schema.ts';

/** Lists stop here; the counts are whole. */
const listed = 100;

export interface PolicyImpact {
  deadlines: { count: number; windowsChanged: string[]; examples: Array<{ itemId: string; kind: string; dueAt: string; dueIfOpenedNow: string }> };
  accounts: { count: number; examples: Array<{ accountId: string; handle: string; reason: string; rule: string }> };
  items: { count: number; examples: Array<{ itemId: string; status: string; rule: string }> };
}

export async function policyImpact(db: Db, orgId: string, before: Policy, after: Policy, now: Date): Promise<PolicyImpact> {
  const windowsChanged = (['assess', 'answer', 'remove'] as const).filter(
    (kind) => canonicalJson(before.windows[kind]) !== canonicalJson(after.windows[kind]) || before.country !== after.country,
  );
  const open = windowsChanged.length === 0 ? [] : await db.select().from(deadlines)
    .where(and(eq(deadlines.orgId, orgId), eq(deadlines.status, 'open'), inArray(deadlines.kind, windowsChanged)));
  const deadlineExamples = open.slice(0, listed).map((d) => ({
    itemId: d.itemId, kind: d.kind, dueAt: d.dueAt,
    dueIfOpenedNow: dueAt(after, now, after.windows[d.kind as keyof Policy['windows']]).toISOString(),
  }));

  const rules = accountRulesOf(after);
  const live = await db.select().from(accounts).where(and(eq(accounts.orgId, orgId), notInArray(accounts.status, ['proposed', 'closed'])));
  const short = live.filter((account) => adminsShort(accountFacts(account), rules)).map((account) => {
    const facts = accountFacts(account);
    const reason = facts.adminCount < rules.minAdmins
      ? `${facts.adminCount} administrator(s); the new version asks for ${rules.minAdmins}`
      : 'no substitute; the new version asks for one';
    return { accountId: account.id, handle: account.handle, reason, rule: facts.adminCount < rules.minAdmins ? rules.minAdminsRule : rules.approvalRule };
  });

  const requiredBy = (categories: string[]): string | null => {
    if (after.registration.allItems) return after.registration.allItems;
    return after.registration.byCategory.find((entry) => categories.includes(entry.category))?.rule ?? null;
  };
  const unregistered = await db.select({ id: items.id, status: items.status, context: items.context }).from(items)
    .where(and(eq(items.orgId, orgId), notInArray(items.status, ['registered', 'thinned'])));
  const newlyRequired = unregistered.flatMap((item) => {
    const context = item.context as { categories?: string[]; registrationRule?: string | null };
    if (context.registrationRule) return [];
    const rule = requiredBy(context.categories ?? []);
    return rule ? [{ itemId: item.id, status: item.status, rule }] : [];
  });

  return {
    deadlines: { count: open.length, windowsChanged, examples: deadlineExamples },
    accounts: { count: short.length, examples: short.slice(0, listed) },
    items: { count: newlyRequired.length, examples: newlyRequired.slice(0, listed) },
  };
}
