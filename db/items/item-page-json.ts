// The items list as the API answers it, written as JSON text. SQLite gives each row's columns as
// one JSON array, its deadlines as JSON and its state, context and body as stored; JavaScript
// writes the view around them: the machine's part (state, allowed events, the context's parts)
// once per distinct machine, state and context, the columns quoted as they come. No view object
// is built and the page is not stringified whole: 137 µs of JavaScript a page of 50 instead of
// 206 (measured). Building the whole text in SQL cost more (json_quote and || per
// member: ~0.4 ms a page more of SQLite, measured).
// The text is byte for byte JSON.stringify of itemPage's views (test/db/item-list.test.ts).
import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { ascending, deadlinesJson, fieldSeparator, readPage, rowSeparator, type ItemFilter } from './item-page.ts';
import { loadRulesOfTexts } from './item-rules.ts';
import { contentOf, machineShownJson, type MachineShownJson } from './item-view.ts';

/**
 * The views of itemPage(db, filter, limit) as one JSON array text, with the id that ends the page
 * when there are further matches (else null).
 */
export async function itemPageJson(db: Db, filter: ItemFilter, limit: number): Promise<{ json: string; lastId: string | null }> {
  const page = await readPage(db, filter, limit, jsonRow);
  const rows = page === null ? [] : page.split(rowSeparator).map(storedRow);
  // As in itemPage: SQL does not promise the aggregate's order, so it is checked.
  if (!ascending(rows)) rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shown = rows.slice(0, limit);
  await loadRulesOfTexts(db, shown.map((row) => row.contextJson));
  let last: { row: StoredRow; shape: MachineShownJson } | null = null;
  let json = '[';
  for (const row of shown) {
    // Neighbours mostly share their texts, and comparing with the last costs less than hashing them.
    let shape: MachineShownJson | undefined = last && last.row.contextJson === row.contextJson && last.row.stateJson === row.stateJson && last.row.machine === row.machine
      ? last.shape : undefined;
    shape ??= shapeOf(row);
    last = { row, shape };
    if (json.length > 1) json += ',';
    json += viewText(row, shape);
  }
  return { json: `${json}]`, lastId: rows.length > limit ? (shown.at(-1)?.id ?? null) : null };
}

// What the machine shows is a function of the machine version and the stored state and context
// texts alone, and items of an organisation share them widely (every item received on a policy
// version and not yet assessed has the same), so the texts are remembered across pages: working
// them out was ~45 µs a distinct state and context (parsing the context three times, restoring
// the machine, measured), more than a row's share of everything else. The oldest goes first.
const shapes = new Map<string, MachineShownJson>();
const shapesKept = 512;

function shapeOf(row: StoredRow): MachineShownJson {
  const key = `${row.machine}\n${row.stateJson}\n${row.contextJson}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = machineShownJson(row.machine, row.stateJson, row.contextJson);
    if (shapes.size >= shapesKept) shapes.delete(shapes.keys().next().value!);
    shapes.set(key, shape);
  }
  return shape;
}

// State, context and body are JSON.stringify's text (as Drizzle and write-batch.ts store them) and
// deadlines JSON SQLite writes: none holds a control character, so they travel unquoted between
// separators. An item without a content row and one whose content was erased both read as ''.
const jsonRow = sql`
  json_array(
    i.id, i.account_id, i.external_id, i.kind, i.direction, i.status, i.version, i.machine, i.received_at,
    i.content_hash, i.created_at, i.updated_at
  ) || char(30) || ${deadlinesJson} || char(30) || i.state || char(30) || i.context || char(30) || coalesce(c.body, '')`;

type Columns = [
  id: string, accountId: string, externalId: string, kind: string, direction: string, status: string, version: number,
  machine: string, receivedAt: string, contentHash: string, createdAt: string, updatedAt: string,
];

interface StoredRow {
  id: string;
  machine: string;
  columns: Columns;
  /** The columns' JSON holds no escape. */
  plain: boolean;
  deadlinesJson: string;
  stateJson: string;
  contextJson: string;
  bodyJson: string;
}

function storedRow(text: string): StoredRow {
  const fields = text.split(fieldSeparator);
  if (fields.length !== 5) throw new Error('An item row of the list holds a control character in its stored JSON.');
  const [columnsJson, deadlinesJson, stateJson, contextJson, bodyJson] = fields as [string, string, string, string, string];
  const columns = JSON.parse(columnsJson) as Columns;
  return { id: columns[0], machine: columns[7], columns, plain: !columnsJson.includes('\\'), deadlinesJson, stateJson, contextJson, bodyJson };
}

// A view's members in assemble's order (item-view.ts), each as JSON.stringify writes it. When the
// columns' JSON holds no backslash, none of their strings needs an escape, and JSON.stringify of
// each is the string between quotes (SQLite's text is UTF-8, so no lone surrogate reaches here).
function viewText(row: StoredRow, shape: MachineShownJson): string {
  const [id, accountId, externalId, kind, direction, status, version, machine, receivedAt, contentHash, createdAt, updatedAt] = row.columns;
  const q = row.plain ? plainQuote : JSON.stringify as (value: string) => string;
  const content = row.bodyJson === '' ? 'null' : JSON.stringify(contentOf(JSON.parse(row.bodyJson) as Record<string, unknown> | null));
  return `{"id":${q(id)},"accountId":${q(accountId)},"externalId":${q(externalId)},"kind":${q(kind)},`
    + `"direction":${q(direction)},"status":${q(status)},"state":${shape.state},"version":${JSON.stringify(version)},`
    + `"machine":${q(machine)},"receivedAt":${q(receivedAt)},"allowedEvents":${shape.allowed},"deadlines":${row.deadlinesJson}`
    + `${shape.parts === '' ? '' : `,${shape.parts}`},"content":${content},"contentSha256":${q(contentHash)},`
    + `"createdAt":${q(createdAt)},"updatedAt":${q(updatedAt)}}`;
}

const plainQuote = (value: string) => `"${value}"`;
