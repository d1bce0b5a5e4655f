// The items page's search by received date (db/items/worklist.ts): the same pages, newest id first,
// whether the range is narrow (read from items_org_received and sorted) or wide (the ids walked
// down), and each query planned as intended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateRangeIsWide, itemSearch, searchItems, type ItemFilters } from '../../db/items/worklist.ts';
import { activeAccount, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

// More items in a wide range than rangeSortLimit: 6,000 clones of two real items, received on 16–19 November (1,500 a day), and the two received at t0 (23 November).
const clones = 6_000;
const day = (d: number) => `2026-11-${d}T00:00:00.000Z`;

describe('searching items by received date', () => {
  let t: TempDb;
  let orgId: string;
  let all: Array<{ id: string; receivedAt: string }>;
  beforeAll(async () => {
    t = await tempDb();
    const org = await organisation(t.store, 'avesta');
    orgId = org.id;
    const account = await activeAccount(t.store, org);
    const templates = [await receivedItem(t.store, org, account.id), await receivedItem(t.store, org, account.id)];
    await t.store.client.execute({
      sql: `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
            insert into items (id, org_id, account_id, external_id, kind, direction, received_at, machine, status, state,
                               context, version, content_hash, created_at, updated_at)
            select printf('01900000-0000-7000-8000-%012x', i), t.org_id, t.account_id, printf('clone-%d', i), t.kind, t.direction,
                   printf('2026-11-%02dT%02d:00:00.000Z', 16 + i % 4, i % 24), t.machine, t.status, t.state, t.context,
                   t.version, t.content_hash, t.created_at, t.updated_at
            from n join items t on t.id = case n.i % 2 when 0 then ? else ? end`,
      args: [clones, templates[0]!.id, templates[1]!.id],
    });
    const rows = await t.store.client.execute({ sql: 'select id, received_at from items where org_id = ?', args: [orgId] });
    all = rows.rows.map((row) => ({ id: String(row.id), receivedAt: String(row.received_at) }));
  });
  afterAll(() => t.cleanup());

  /** What the first pages must hold: the items in the range, newest id first. */
  const expected = (filters: ItemFilters) =>
    all
      .filter((item) => (!filters.from || item.receivedAt >= filters.from) && (!filters.to || item.receivedAt < filters.to))
      .map((item) => item.id)
      .sort()
      .reverse();

  async function firstPages(filters: ItemFilters, pages: number): Promise<string[]> {
    const ids: string[] = [];
    let before: string | undefined;
    for (let i = 0; i < pages; i++) {
      const page = await searchItems(t.store.db, orgId, { ...filters, before }, t0, 50);
      ids.push(...page.items.map((item) => item.id));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    return ids;
  }

  const ranges: Array<{ name: string; filters: ItemFilters; wide: boolean }> = [
    { name: 'a wide range', filters: { from: day(16), to: day(20) }, wide: true },
    { name: 'a wide range open at its start', filters: { to: day(24) }, wide: true },
    { name: 'a narrow range', filters: { from: day(17), to: day(18) }, wide: false },
    { name: 'a narrow range open at its end', filters: { from: day(19) }, wide: false },
  ];

  it.each(ranges)('lists $name page by page, newest id first', async ({ filters, wide }) => {
    expect(await dateRangeIsWide(t.store.db, orgId, filters)).toBe(wide);
    expect(await firstPages(filters, 3)).toEqual(expected(filters).slice(0, 150));
  });

  it('lists the last page of a narrow range whole and says no page follows', async () => {
    const filters = { from: '2026-11-23T00:00:00.000Z' };
    const page = await searchItems(t.store.db, orgId, filters, t0, 50);
    expect(page.items.map((item) => item.id)).toEqual(expected(filters));
    expect(page.items).toHaveLength(2);
    expect(page.nextBefore).toBeNull();
  });

  it('takes a search without dates for no range at all', async () => {
    const filters: ItemFilters = { status: 'received' };
    expect(await dateRangeIsWide(t.store.db, orgId, filters)).toBe(false);
  });

  async function plan(filters: ItemFilters, wide: boolean): Promise<string> {
    const { sql, params } = itemSearch(t.store.db, orgId, filters, t0, 50, wide).toSQL();
    const rows = await t.store.client.execute({ sql: `explain query plan ${sql}`, args: params as never });
    return rows.rows.map((row) => String(row.detail)).join('\n');
  }

  it('walks the ids down for a wide range, and sorts only a narrow one', async () => {
    const widePlan = await plan({ from: day(16), to: day(20) }, true);
    expect(widePlan).toMatch(/USING INDEX items_org_id/);
    expect(widePlan).not.toMatch(/TEMP B-TREE/);
    // The premise: left to itself, SQLite sorts the whole range, however wide.
    expect(await plan({ from: day(16), to: day(20) }, false)).toMatch(/items_org_received[\s\S]*TEMP B-TREE/);
    expect(await plan({ from: day(17), to: day(18) }, false)).toMatch(/USING INDEX items_org_received/);
  });
});
