// Today (GET /): what needs doing now — overdue and soon-due deadlines by kind, items waiting for
// assessment, accounts under review, missed monitoring, surges and other account flags. Each a link.
import { Hono } from 'hono';
import { accountsInStatus, accountView } from '../../db/accounts/accounts.ts';
import { findOrganisation, policyOf } from '../../db/organisations.ts';
import { countOverdueItems, openDeadlinesDue, overdueDeadlines, searchItems } from '../../db/items/worklist.ts';
import { deadlineText, localTime } from './format.ts';
import { Layout } from './layout.tsx';
import type { PageEnv } from './page-env.ts';

export const todayPageRouter = new Hono<PageEnv>();

const soonMs = 24 * 60 * 60 * 1000;
const listed = 50;

todayPageRouter.get('/', async (c) => {
  const { holder, deps } = c.var;
  const org = await findOrganisation(deps.store.db, holder.orgId);
  if (!org) return c.notFound();
  const policy = policyOf(org);
  const now = deps.clock();
  const nowIso = now.toISOString();
  // Overdue is what GET /v1/items?overdue=true says: open past due or breached by the sweep, not met.
  const [overdue, overdueItems, due, waiting, live] = await Promise.all([
    overdueDeadlines(deps.store.db, org.id, nowIso, listed),
    countOverdueItems(deps.store.db, org.id, nowIso),
    openDeadlinesDue(deps.store.db, org.id, new Date(now.getTime() + soonMs).toISOString(), listed),
    searchItems(deps.store.db, org.id, { status: 'received', direction: 'inbound' }, now, listed),
    accountsInStatus(deps.store.db, org.id, ['active', 'review_due', 'closing']),
  ]);
  const soon = due.filter((d) => d.dueAt > nowIso);
  const accounts = live.map(accountView);
  const flagged = accounts.filter((a) => a.status === 'review_due' || a.flags.surge || a.flags.adminsShort || a.flags.snapshotDue || a.flags.lastMissedDay);
  const handle = new Map(accounts.map((a) => [a.id, `${a.platform}: ${a.handle}`]));

  const deadlineTable = (rows: typeof due, empty: string) =>
    rows.length === 0 ? <p>{empty}</p> : (
      <table>
        <thead><tr><th>kind</th><th>due</th><th>item</th><th>channel</th></tr></thead>
        <tbody>
          {rows.map((d) => (
            <tr data-deadline={d.kind} data-status={d.status}>
              <td>
                <span class="badge">{d.kind}</span>
                {d.status === 'breached' ? <> <span class="badge bad">breached</span></> : null}
              </td>
              <td title={localTime(d.dueAt, policy)}>{deadlineText(d.dueAt, policy, now)}</td>
              <td><a href={`/items/${d.itemId}`}>{d.itemKind} {d.itemId.slice(-8)}</a></td>
              <td>{handle.get(d.accountId) ?? d.accountId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );

  return c.html(
    <Layout title={`Today — ${org.name}`} holder={holder} csrf={c.var.csrf}>
      <p>As of {localTime(nowIso, policy)}.</p>
      <section id="overdue">
        <h2>Overdue: <span data-count="overdue-items">{overdueItems}</span> {overdueItems === 1 ? 'item' : 'items'}</h2>
        {overdue.length === listed ? <p>The {listed} earliest overdue deadlines:</p> : null}
        {deadlineTable(overdue, 'Nothing is overdue.')}
        <p><a href="/items?overdue=1">All overdue items</a></p>
      </section>
      <section id="soon">
        <h2>Due within 24 hours ({soon.length})</h2>
        {deadlineTable(soon, 'Nothing falls due in the next 24 hours.')}
      </section>
      <section id="waiting">
        <h2>Waiting for assessment ({waiting.items.length}{waiting.nextBefore ? '+' : ''})</h2>
        {waiting.items.length === 0 ? <p>No item waits for assessment.</p> : (
          <ul>
            {waiting.items.map((item) => (
              <li><a href={`/items/${item.id}`}>{item.kind} received {localTime(item.receivedAt, policy)}</a> on {handle.get(item.accountId) ?? item.accountId}</li>
            ))}
          </ul>
        )}
      </section>
      <section id="accounts">
        <h2>Accounts that need attention ({flagged.length})</h2>
        {flagged.length === 0 ? <p>No account is under review or flagged.</p> : (
          <ul>
            {flagged.map((a) => (
              <li>
                <a href={`/accounts/${a.id}`}>{a.platform}: {a.handle}</a>{' '}
                {a.status === 'review_due' ? <span class="badge warn">in review (TI-5, UP-6)</span> : null}{' '}
                {a.flags.surge ? <span class="badge bad">surge: {a.flags.surge.count} critical items (TI-8)</span> : null}{' '}
                {a.flags.adminsShort ? <span class="badge bad">too few administrators (TI-4)</span> : null}{' '}
                {a.flags.snapshotDue ? <span class="badge warn">snapshot due for {a.flags.snapshotDue.period}</span> : null}{' '}
                {a.flags.lastMissedDay ? <span class="badge warn">monitoring missed, last {a.flags.lastMissedDay} ({a.flags.missedDays} days)</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>,
  );
});
