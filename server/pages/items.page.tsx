// Items (GET /items): the organisation's items, newest first, filtered by status, account, kind,
// direction, overdue, received date range (local days) and free text; a page of 50 at a time.
import { Hono } from 'hono';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { accountsInStatus } from '../../db/accounts/accounts.ts';
import { findOrganisation, policyOf } from '../../db/organisations.ts';
import { searchItems, type ItemFilters } from '../../db/items/worklist.ts';
import { accountStatuses } from '../../machines/account.machine.ts';
import { directions, itemKinds } from '../../machines/item.v1.machine.ts';
import { itemStatuses } from '../../machines/item.step.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { localTime } from './format.ts';
import { Layout } from './layout.tsx';
import type { PageEnv } from './page-env.ts';

export const itemsPageRouter = new Hono<PageEnv>();

const pageSize = 50;
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
  const result = parsed.success
    ? await searchItems(deps.store.db, org.id, { ...query, overdue: query.overdue === '1', ...dayBounds(policy, query) }, deps.clock(), pageSize)
    : { items: [], nextBefore: null };
  const next = new URLSearchParams(Object.entries({ ...query, before: result.nextBefore ?? '' }).filter(([, v]) => v) as [string, string][]);
  const selected = (value: string | undefined, option: string) => value === option;

  return c.html(
    <Layout title="Items" holder={holder} csrf={c.var.csrf}>
      {parsed.success ? null : (
        <p class="error" role="alert">
          Invalid filter: {parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}
        </p>
      )}
      <form method="get" action="/items">
        <fieldset>
          <label>Status <select name="status"><option value="">any</option>{itemStatuses.map((s) => <option value={s} selected={selected(query.status, s)}>{s}</option>)}</select></label>
          <label>Account <select name="accountId"><option value="">any</option>{accounts.map((a) => <option value={a.id} selected={selected(query.accountId, a.id)}>{handle.get(a.id)}</option>)}</select></label>
          <label>Kind <select name="kind"><option value="">any</option>{itemKinds.map((k) => <option value={k} selected={selected(query.kind, k)}>{k}</option>)}</select></label>
          <label>Direction <select name="direction"><option value="">any</option>{directions.map((d) => <option value={d} selected={selected(query.direction, d)}>{d}</option>)}</select></label>
          <label><input type="checkbox" name="overdue" value="1" checked={query.overdue === '1'} /> overdue only</label>
          <label>Received from <input type="date" name="from" value={query.from ?? ''} /></label>
          <label>to <input type="date" name="to" value={query.to ?? ''} /></label>
          <label>Text <input type="search" name="text" value={query.text ?? ''} maxlength={200} /></label>
          <button type="submit">Filter</button>
        </fieldset>
      </form>
      {result.items.length === 0 ? <p>No items match.</p> : (
        <table>
          <thead><tr><th>received</th><th>item</th><th>status</th><th>channel</th></tr></thead>
          <tbody>
            {result.items.map((item) => (
              <tr>
                <td>{localTime(item.receivedAt, policy)}</td>
                <td><a href={`/items/${item.id}`}>{item.direction} {item.kind} {item.id.slice(-8)}</a></td>
                <td><span class="badge">{item.status}</span></td>
                <td>{handle.get(item.accountId) ?? item.accountId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.nextBefore ? <p><a rel="next" href={`/items?${next.toString()}`}>Older items</a></p> : null}
    </Layout>,
    parsed.success ? 200 : 400,
  );
});
