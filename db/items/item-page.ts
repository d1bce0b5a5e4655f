// A page of items read in one statement that answers one value: rows, their content and their
// deadlines together. Through the libSQL client each column of each row costs ~2 µs (measured:
// ~1.5 ms for the 51 rows of `select *`, more than building their views), and each statement
// ~0.1 ms, so a page of 50 is one statement and one value, parsed here.
import { and, eq, gt, sql, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client.ts';
import { overdueDeadline, type DeadlineView } from './deadlines.ts';
import { itemViews, type ItemView, type StoredItem } from './item-view.ts';
import { loadRulesOfTexts } from './item-rules.ts';
import { deadlines, items } from '../schema.ts';

export interface ItemFilter {
  orgId: string;
  status?: string | undefined;
  accountId?: string | undefined;
  /** Only items with an unsettled deadline past due at this instant (ISO). */
  overdueAt?: string | undefined;
  /** Only items after this id. */
  after?: string | undefined;
}

/**
 * The items that match `filter`, by id, at most `limit` of them, as views; `more` when there are
 * further matches. The views equal itemView's for the same rows.
 */
export async function itemPage(db: Db, filter: ItemFilter, limit: number): Promise<{ views: ItemView[]; more: boolean }> {
  const page = await readPage(db, filter, limit, viewsRow);
  const rows = page === null ? [] : page.split(rowSeparator).map(storedItem);
  // The aggregate follows the subquery's order in practice but SQL does not promise it; sorting
  // here costs less than an ORDER BY inside it (a temporary b-tree of whole rows, measured).
  // Ids are ASCII (UUIDs), where comparing UTF-16 code units agrees with SQLite's BINARY collation.
  if (!ascending(rows)) rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await loadRulesOfTexts(db, rows.map((row) => row.contextJson));
  return { views: itemViews(rows.slice(0, limit)), more: rows.length > limit };
}

/**
 * The rows that match `filter`, the first limit + 1 of them by id (to tell whether there are more),
 * each as `row` makes it, joined by char(29) into one text; null when nothing matches. The page's rows are
 * found by rowid first, so the filter's search carries no columns; `row` then reads each row
 * once, as `i`, with its content row as `c`.
 */
export async function readPage(db: Db, filter: ItemFilter, limit: number, row: SQL): Promise<string | null> {
  const { orgId, overdueAt, status, accountId, after } = filter;
  const args = overdueAt === undefined
    ? [orgId, ...present(status), ...present(accountId), ...present(after), limit + 1]
    : [orgId, overdueAt, ...present(after), orgId, ...present(status), ...present(accountId), limit + 1];
  const { rows: [result] } = await db.$client.execute({ sql: statementFor(filter, args, row), args });
  const page = result?.page;
  return typeof page === 'string' ? page : null;
}

const present = (value: string | undefined) => (value === undefined ? [] : [value]);

// The statement's text depends only on which filters are present (16 texts at most for each row
// shape), and building it with Drizzle cost ~0.1 ms a request (measured), so each text is built
// once. `args` lists the values in the order the conditions are written; the first build checks
// Drizzle's order against it. A row shape is a constant of its module, so it keys the texts.
const statements = new WeakMap<SQL, Map<string, string>>();
const dialect = new SQLiteSyncDialect();

function statementFor(filter: ItemFilter, args: unknown[], row: SQL): string {
  const key = [filter.overdueAt, filter.status, filter.accountId, filter.after].map((v) => (v === undefined ? '-' : '+')).join('');
  let texts = statements.get(row);
  if (!texts) statements.set(row, (texts = new Map()));
  let text = texts.get(key);
  if (text === undefined) {
    const where: SQL[] = [eq(items.orgId, filter.orgId)];
    if (filter.status !== undefined) where.push(eq(items.status, filter.status));
    if (filter.accountId !== undefined) where.push(eq(items.accountId, filter.accountId));
    const rowsWanted = args.at(-1) as number;
    const rows = filter.overdueAt === undefined
      ? sql`select items.rowid as r from items where ${and(...where, filter.after === undefined ? undefined : gt(items.id, filter.after))}
            order by items.id limit ${rowsWanted}`
      : overdueRows(filter.orgId, filter.overdueAt, filter.after, and(...where)!, rowsWanted);
    const query = dialect.sqlToQuery(pageQuery(rows, row));
    if (JSON.stringify(query.params) !== JSON.stringify(args)) throw new Error('The item page statement binds its values in another order.');
    texts.set(key, (text = query.sql));
  }
  return text;
}

function pageQuery(rows: SQL, row: SQL) {
  return sql`
    select group_concat(${row}, char(29)) as page
    from (${rows}) p
    join items i on i.rowid = p.r
    left join contents c on c.hash = i.content_hash`;
}

// Overdue items come from their unsettled deadlines in item order (deadlines_org_unsettled_item
// holds only unsettled ones, with what the test needs), each item then looked up for the other
// filters, and the walk stops at the page's end. Walking the organisation's items and asking each
// for its deadlines read every item when few are overdue: ~40 ms a page of 200,000 items with two
// overdue, now ~1 ms (measured).
function overdueRows(orgId: string, now: string, after: string | undefined, where: SQL, rowsWanted: number) {
  return sql`
    select items.rowid as r
    from ${deadlines} join items on items.id = ${deadlines.itemId}
    where ${and(eq(deadlines.orgId, orgId), overdueDeadline(now), after === undefined ? undefined : gt(deadlines.itemId, after))} and ${where}
    group by ${deadlines.itemId} order by ${deadlines.itemId} limit ${rowsWanted}`;
}

/** The row's deadlines (of `i`) as a view shows them: a JSON array by due instant, then kind. */
export const deadlinesJson = sql`(select json_group_array(json_object('kind', d.kind, 'dueAt', d.due_at, 'status', d.status) order by d.due_at, d.kind)
     from deadlines d where d.item_id = i.id)`;

// Deadlines come by due instant then kind, as deadlinesOf orders them; an item without a content
// row and one whose content was erased both read as ''. State, context and body are
// JSON.stringify's text (as Drizzle and write-batch.ts store them), which never holds a control
// character: they travel unquoted between separators, as quoting and unquoting them was a third
// of the page's cost (measured).
const viewsRow = sql`
  json_array(
    i.id, i.account_id, i.external_id, i.kind, i.direction, i.status, i.version, i.machine, i.received_at,
    i.content_hash, i.created_at, i.updated_at, ${deadlinesJson}
  ) || char(30) || i.state || char(30) || i.context || char(30) || coalesce(c.body, '')`;

export const fieldSeparator = '\u001e';
export const rowSeparator = '\u001d';

type Columns = [
  id: string, accountId: string, externalId: string, kind: string, direction: string, status: string, version: number,
  machine: string, receivedAt: string, contentHash: string, createdAt: string, updatedAt: string, deadlines: DeadlineView[],
];

function storedItem(text: string): StoredItem {
  const fields = text.split(fieldSeparator);
  if (fields.length !== 4) throw new Error('An item row of the list holds a control character in its stored JSON.');
  const [columns, stateJson, contextJson, bodyJson] = fields as [string, string, string, string];
  const [id, accountId, externalId, kind, direction, status, version, machine, receivedAt, contentHash, createdAt, updatedAt, deadlines] =
    JSON.parse(columns) as Columns;
  return {
    id, accountId, externalId, kind, direction, status, stateJson, version, machine, receivedAt, contextJson, contentHash,
    createdAt, updatedAt, bodyJson: bodyJson === '' ? null : bodyJson, deadlines,
  };
}

export function ascending(rows: ReadonlyArray<{ id: string }>): boolean {
  for (let i = 1; i < rows.length; i++) if (!(rows[i - 1]!.id < rows[i]!.id)) return false;
  return true;
}
