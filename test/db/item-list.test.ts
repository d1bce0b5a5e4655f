// The list reads a page in one statement (db/items/item-page.ts); every view on it must be the view the
// one-item path gives (viewOf: the row, its content, its deadlines), in id order, with the same
// filters and cursor, and the same JSON byte for byte; listItemsJson (the API's text, written in
// SQL) must be that JSON too.
import { and, asc, eq, gt, ne, type SQL } from 'drizzle-orm';
import type { InArgs, InStatement } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { isOverdue } from '../../db/items/deadlines.ts';
import { listItems, listItemsJson, viewOf, type ItemQuery } from '../../db/items/items.ts';
import type { Organisation } from '../../db/organisations.ts';
import { items } from '../../db/schema.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
let org: Organisation;
let accounts: string[];
const later = new Date(t0.getTime() + 4 * 24 * 3600 * 1000);

beforeAll(async () => {
  t = await tempDb();
  org = await organisation(t.store, 'avesta');
  await organisation(t.store, 'tibro'); // another tenant's items never show
  accounts = [(await activeAccount(t.store, org)).id, (await activeAccount(t.store, org, { handle: 'andra' })).id];
  const step = async (itemId: string, event: ItemEventBody, actor = officer) => {
    const result = await applyItemEvent(t.store, { orgId: org.id, itemId, actor, event, ifMatch: null, idempotency: null, now: t0 });
    if (!result.ok) throw new Error(result.detail);
  };
  const answer: ItemEventBody = { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' };
  for (let i = 0; i < 24; i++) {
    const accountId = accounts[i % 3 === 0 ? 1 : 0]!;
    const item = await receivedItem(t.store, org, accountId, i % 5 === 0
      ? {
          // Quotes, separators and control characters in free text, astral characters, a link.
          text: `"Hej"\n\t\u001e\u001d\u0001 ${'å'.repeat(i)} 😀 \\ </script>`, url: 'https://example.org/p?q="1"',
          author: { handle: `h\u001e${i}`, name: 'Åsa "Ö" Öberg' }, externalId: `ext\u001e\u001d"${i}\\`,
        }
      : { text: `Question ${i}` });
    if (i % 4 === 1) await step(item.id, answer);
    if (i % 4 === 2) {
      await step(item.id, answer);
      await step(item.id, { type: 'REGISTER', number: `AV-${i}`, ...(i % 8 === 2 ? { caseRef: 'KS 2026/1' } : {}) }, registrar);
    }
    if (i % 4 === 3 && i % 3 === 0) await step(item.id, { type: 'HOLD', reason: 'Request for documents' }, registrar);
    if (i === 7 || i === 11) {
      await step(item.id, { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' });
      await step(item.id, { type: 'THIN', reason: 'Temporary value' }, registrar);
    }
  }
  // A row without its content row reads as no content, as viewOf reads it. Not a thinned one:
  // their content is gone already, and ids made at one instant come in no fixed order.
  const [orphan] = await t.store.db.select().from(items).where(and(eq(items.orgId, org.id), ne(items.status, 'thinned'))).orderBy(asc(items.id)).limit(1);
  await t.store.client.execute({ sql: 'delete from contents where hash = ?', args: [orphan!.contentHash] });
  // Bodies no ingest stores, which the list must show as viewOf does all the same: no author, a
  // text and a link that are not strings, other key order, and JSON null.
  const odd = ['{"text":42,"url":7}', '{"url":"https://example.org/x","author":{"handle":"b","name":null},"text":"Bakvänd"}', 'null'];
  const plain = await t.store.db.select().from(items).where(and(eq(items.orgId, org.id), eq(items.status, 'received'))).orderBy(asc(items.id));
  for (const [n, body] of odd.entries()) {
    await t.store.client.execute({ sql: 'update contents set body = ? where hash = ?', args: [body, plain.at(-1 - n)!.contentHash] });
  }
  // The list remembers what a machine shows by version, state and context together: a received
  // item's context under another state must not be shown as its neighbours' (item-page-json.ts).
  await t.store.client.execute({ sql: `update items set state = '{"handling":"assessed","records":"open"}' where id = ?`, args: [plain[1]!.id] });
});
afterAll(() => t.cleanup());

/** The list as the one-item path answers it. */
async function reference(query: ItemQuery) {
  const where: SQL[] = [eq(items.orgId, org.id)];
  if (query.overdue) where.push(isOverdue(query.now.toISOString()));
  if (query.status) where.push(eq(items.status, query.status));
  if (query.accountId) where.push(eq(items.accountId, query.accountId));
  if (query.cursor) where.push(gt(items.id, query.cursor));
  const rows = await t.store.db.select().from(items).where(and(...where)).orderBy(asc(items.id)).limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: await Promise.all(page.map((row) => viewOf(t.store.db, row))),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

describe('listItems', () => {
  const queries: Array<[string, Omit<ItemQuery, 'now'> & { now?: Date }]> = [
    ['everything', { limit: 200 }],
    ['a short page', { limit: 5 }],
    ['one status', { status: 'received', limit: 200 }],
    ['assessed items, some of them registered', { status: 'assessed', limit: 200 }],
    ['thinned items (content erased)', { status: 'thinned', limit: 200 }],
    ['one account', { accountId: 'second', limit: 200 }],
    ['status and account', { status: 'assessed', accountId: 'first', limit: 2 }],
    ['overdue by a later instant', { overdue: true, now: later, limit: 200 }],
    ['overdue now (none)', { overdue: true, limit: 200 }],
    ['an unknown status (none)', { status: 'nothing', limit: 50 }],
  ];

  it.each(queries)('answers %s as the one-item path does', async (name, partial) => {
    const query: ItemQuery = {
      ...partial, now: partial.now ?? t0,
      accountId: partial.accountId === 'first' ? accounts[0] : partial.accountId === 'second' ? accounts[1] : undefined,
    };
    const page = await listItems(t.store.db, org.id, query);
    const expected = await reference(query);
    if (!name.endsWith('(none)')) expect(page.items.length).toBeGreaterThan(0);
    expect(page).toEqual(expected);
    expect(JSON.stringify(page)).toBe(JSON.stringify(expected));
    expect(await listItemsJson(t.store.db, org.id, query)).toBe(JSON.stringify(expected));
  });

  it('pages through every item by cursor, each page as the one-item path answers it', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 30; n++) {
      const query: ItemQuery = { limit: 3, now: t0, cursor };
      const page = await listItems(t.store.db, org.id, query);
      const expected = JSON.stringify(await reference(query));
      expect(JSON.stringify(page)).toBe(expected);
      expect(await listItemsJson(t.store.db, org.id, query)).toBe(expected);
      seen.push(...page.items.map((item) => item.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(24);
    expect(seen).toEqual([...seen].sort());
  });

  // Issue 21: the page's rows come off one index each way it is filtered, with no table row read
  // to test a filter and no sort; overdue items come off their unsettled deadlines in item order.
  const plans: Array<[{ status?: string; accountId?: 'first'; overdue?: boolean }, string]> = [
    [{ status: 'assessed', accountId: 'first' }, 'items_org_status_id_account (org_id=? AND status=? AND id>?)'],
    [{ status: 'assessed' }, 'items_org_status_id_account (org_id=? AND status=? AND id>?)'],
    [{ accountId: 'first' }, 'items_org_account_id (org_id=? AND account_id=? AND id>?)'],
    [{}, 'items_org_id (org_id=? AND id>?)'],
    [{ overdue: true }, 'deadlines_org_unsettled_item (org_id=? AND item_id>?)'],
    [{ overdue: true, status: 'assessed' }, 'deadlines_org_unsettled_item (org_id=? AND item_id>?)'],
  ];
  it.each(plans)('plans the page of %j as a search of a covering index', async (filters, search) => {
    const statements: InStatement[] = [];
    const client = t.store.client;
    const execute = client.execute.bind(client);
    client.execute = ((stmt: InStatement) => (statements.push(stmt), execute(stmt))) as typeof client.execute;
    try {
      await listItemsJson(t.store.db, org.id, {
        ...filters, accountId: filters.accountId ? accounts[0] : undefined, cursor: '00000000-0000-7000-8000-000000000000', limit: 50, now: t0,
      });
    } finally {
      client.execute = execute;
    }
    const [stmt] = statements as Array<{ sql: string; args: InArgs }>;
    const plan = (await execute({ sql: `explain query plan ${stmt!.sql}`, args: stmt!.args })).rows.map((row) => String(row.detail));
    expect(plan).toContain(`SEARCH ${filters.overdue ? 'deadlines' : 'items'} USING COVERING INDEX ${search}`);
    expect(plan.filter((line) => /SCAN (items|deadlines)|TEMP B-TREE FOR (ORDER|GROUP) BY/.test(line))).toEqual([]);
  });

  it('pages through the overdue items by cursor, each page as the one-item path answers it', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 30; n++) {
      const query: ItemQuery = { overdue: true, now: later, limit: 2, cursor };
      const page = await listItemsJson(t.store.db, org.id, query);
      expect(page).toBe(JSON.stringify(await reference(query)));
      const { items: shown, nextCursor } = JSON.parse(page) as { items: Array<{ id: string }>; nextCursor: string | null };
      seen.push(...shown.map((item) => item.id));
      if (nextCursor === null) break;
      cursor = nextCursor;
    }
    expect(seen.length).toBeGreaterThan(4);
    expect(seen).toEqual((await reference({ overdue: true, now: later, limit: 200 })).items.map((item) => item.id));
  });

  it('shows erased content, a missing content row, deadlines, holds and registrations', async () => {
    const { items: all } = await listItems(t.store.db, org.id, { limit: 200, now: t0 });
    // Two thinned, the orphan, and the body of JSON null.
    expect(all.filter((item) => item.content === null)).toHaveLength(4);
    expect(all.some((item) => item.content?.text === '42' && item.content.author === undefined && item.content.url === null)).toBe(true);
    expect(all.some((item) => item.deadlines.length > 1)).toBe(true);
    expect(all.some((item) => item.hold !== null)).toBe(true);
    expect(all.some((item) => item.registration?.caseRef === 'KS 2026/1')).toBe(true);
    expect(all.some((item) => item.externalId.includes('\u001e'))).toBe(true);
  });
});
