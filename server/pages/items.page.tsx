// Items (GET /items): the organisation's items, newest first or by received instant either way,
// filtered by status, account, kind, direction, overdue, received date range (local days) and free
// text; a page of 50 at a time. Each row is what an officer scans: the start of the text, the
// account, when it came in, its state in words, and overdue / due-soon badges.
import { Hono } from 'hono';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { accountsInStatus } from '../../db/accounts/accounts.ts';
import { findOrganisation, policyOf } from '../../db/organisations.ts';
import { listDetails, type DeadlineBadge } from '../../db/items/list-details.ts';
import { decodeReceivedCursor, itemSorts, searchItems, type ItemFilters } from '../../db/items/worklist.ts';
import { accountStatuses } from '../../machines/account.machine.ts';
import { directions, itemKinds } from '../../machines/item.v1.machine.ts';
import { itemStatuses } from '../../machines/item.step.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { localTime } from './format.ts';
import { Layout } from './layout.tsx';
import type { PageEnv } from './page-env.ts';
import { deadlineInWords, statusInWords, statusWords } from './status-words.ts';

export const itemsPageRouter = new Hono<PageEnv>();

const pageSize = 50;
/** A deadline due within this time is flagged as due soon. */
const soonMs = 24 * 60 * 60 * 1000;
const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema.optional());

const filtersSchema = z.object({
  status: optional(z.enum(itemStatuses)),
  accountId: optional(z.uuid()),
  kind: optional(z.enum(itemKinds)),
  direction: optional(z.enum(directions)),
  overdue: optional(z.enum(['1'])),
  from: optional(z.iso.date()),
  to: optional(z.iso.date()),
  text: optional(z.string().trim().min(1).max(200)),
  before: optional(z.uuid()),
  sort: optional(z.enum(itemSorts)),
  after: optional(z.string().max(80).refine((text) => decodeReceivedCursor(text) !== null, 'not a page cursor')),
});
type Query = z.infer<typeof filtersSchema>;

/** Local days as the instants that bound them in the organisation's zone: from 00:00 of `from` to 24:00 of `to`. */
function dayBounds(policy: Policy, query: Query): Pick<ItemFilters, 'from' | 'to'> {
  const start = (day: string) => DateTime.fromISO(day, { zone: policy.timeZone }).startOf('day');
  return {
    from: query.from ? start(query.from).toUTC().toISO()! : undefined,
    to: query.to ? start(query.to).plus({ days: 1 }).toUTC().toISO()! : undefined,
  };
}

itemsPageRouter.get('/items', async (c) => {
  const { holder, deps } = c.var;
  const org = await findOrganisation(deps.store.db, holder.orgId);
  if (!org) return c.notFound();
  const policy = policyOf(org);
  const parsed = filtersSchema.safeParse(c.req.query());
  const query: Query = parsed.success ? parsed.data : {};
  const accounts = await accountsInStatus(deps.store.db, org.id, accountStatuses);
  const handle = new Map(accounts.map((a) => [a.id, `${a.platform}: ${a.handle}`]));
  const now = deps.clock();
  const filters: ItemFilters = {
    ...query, overdue: query.overdue === '1', ...dayBounds(policy, query), after: query.after ? decodeReceivedCursor(query.after)! : undefined,
  };
  const result = parsed.success
    ? await searchItems(deps.store.db, org.id, filters, now, pageSize)
    : { items: [], nextBefore: null, nextAfter: null };
  const details = await listDetails(deps.store.db, result.items.map((item) => item.id), now, new Date(now.getTime() + soonMs));
  /** This search's link with some parameters changed (an empty value drops one). */
  const link = (changes: Partial<Record<keyof Query, string>>) => {
    const params = new URLSearchParams(Object.entries({ ...query, before: '', after: '', ...changes }).filter(([, v]) => v) as [string, string][]);
    return `/items?${params.toString()}`;
  };
  const nextLink = result.nextBefore ? link({ before: result.nextBefore }) : result.nextAfter ? link({ after: result.nextAfter }) : null;
  const selected = (value: string | undefined, option: string) => value === option;
  const receivedSort = query.sort === 'received-desc' ? 'received-asc' : 'received-desc';
  const arrow = query.sort === 'received-desc' ? ' ↓' : query.sort === 'received-asc' ? ' ↑' : '';

  return c.html(
    <Layout title="Items" holder={holder} csrf={c.var.csrf}>
      {parsed.success ? null : (
        <p class="error" role="alert">
          Invalid filter: {parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}
        </p>
      )}
      <form method="get" action="/items">
        <fieldset>
          <label>Status <select name="status"><option value="">any</option>{itemStatuses.map((s) => <option value={s} selected={selected(query.status, s)}>{statusWords[s]}</option>)}</select></label>
          <label>Account <select name="accountId"><option value="">any</option>{accounts.map((a) => <option value={a.id} selected={selected(query.accountId, a.id)}>{handle.get(a.id)}</option>)}</select></label>
          <label>Kind <select name="kind"><option value="">any</option>{itemKinds.map((k) => <option value={k} selected={selected(query.kind, k)}>{k}</option>)}</select></label>
          <label>Direction <select name="direction"><option value="">any</option>{directions.map((d) => <option value={d} selected={selected(query.direction, d)}>{d}</option>)}</select></label>
          <label><input type="checkbox" name="overdue" value="1" checked={query.overdue === '1'} /> overdue only</label>
          <label>Received from <input type="date" name="from" value={query.from ?? ''} /></label>
          <label>to <input type="date" name="to" value={query.to ?? ''} /></label>
          <label>Text <input type="search" name="text" value={query.text ?? ''} maxlength={200} /></label>
          <label>Order <select name="sort">
            <option value="">newest first (as ingested)</option>
            <option value="received-desc" selected={selected(query.sort, 'received-desc')}>received, newest first</option>
            <option value="received-asc" selected={selected(query.sort, 'received-asc')}>received, oldest first</option>
          </select></label>
          <button type="submit">Filter</button>
        </fieldset>
      </form>
      {result.items.length === 0 ? <p>No items match.</p> : (
        <table class="item-list">
          <thead>
            <tr>
              <th><a href={link({ sort: receivedSort })} id="sort-received" aria-label="Sort by received time">{`Received${arrow}`}</a></th>
              <th>Item</th><th>Account</th><th>State</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((item) => (
              <tr data-item={item.id}>
                <td class="received"><time datetime={item.receivedAt}>{localTime(item.receivedAt, policy)}</time></td>
                <td>
                  <a href={`/items/${item.id}`} class="snippet">{details.snippets.get(item.id) ?? `(no text) ${item.id.slice(-8)}`}</a>
                  <br /><small>{item.direction} {item.kind}</small>
                </td>
                <td>{handle.get(item.accountId) ?? item.accountId}</td>
                <td>
                  <span class="state" data-status={item.status}>{statusInWords(item.status)}</span>
                  {(details.badges.get(item.id) ?? []).map((badge) => <> <DueBadge badge={badge} policy={policy} /></>)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextLink ? <p><a rel="next" href={nextLink}>Next page</a></p> : null}
    </Layout>,
    parsed.success ? 200 : 400,
  );
});

function DueBadge(props: { badge: DeadlineBadge; policy: Policy }) {
  const { badge } = props;
  const words = badge.tone === 'overdue' ? `overdue: ${deadlineInWords(badge.kind)}` : `due soon: ${deadlineInWords(badge.kind)}`;
  return (
    <span class={`badge ${badge.tone === 'overdue' ? 'bad' : 'warn'}`} data-due={badge.tone} title={`due ${localTime(badge.dueAt, props.policy)}`}>
      {words}
    </span>
  );
}
