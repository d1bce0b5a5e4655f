// The tables the write batch reads and writes, as SQL columns and plain mappers in both
// directions. The batch talks to the driver directly: Drizzle's building of a select and its
// mapping of each value were a sixth of a step's CPU. The mappers store and read values exactly
// as Drizzle does (JSON columns as JSON text, booleans as 0 and 1), and a test holds every
// mapper equal to Drizzle's reading of the same row (test/db/batch-rows.test.ts).
import type { InValue, InStatement, ResultSet } from '@libsql/client';
import type { DeadlineRow } from '../items/deadlines.ts';
import { readStoredContext, storedContextText } from '../items/item-rules.ts';
import type { ItemRow } from '../items/item-view.ts';
import type { contents, idempotencyKeys, ledgerEvents } from '../schema.ts';

export type ContentRow = typeof contents.$inferSelect;
export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;
/** A ledger row with its JSON columns as the text to store: the canonical JSON its hash covers (ledger.ts linkTexts). */
export type LedgerRow = Omit<typeof ledgerEvents.$inferInsert, 'fromState' | 'toState' | 'payload'> & {
  fromState: string | null;
  toState: string;
  payload: string;
};

/** A table the batch writes: its column names, in the order of `values`. */
export interface WrittenTable<T> {
  name: string;
  columns: readonly string[];
  values(row: T): InValue[];
}

/**
 * A table the batch also reads. It reads a set of rows as one JSON array of arrays built by
 * SQLite (json_group_array): one value for the driver to decode and one native JSON.parse, where
 * rows one by one spent more in the driver's row decoding than SQLite spent finding them.
 * `fromRow` maps one such array, `columns` in order, with the `json` columns already parsed.
 */
export interface BatchTable<T> extends WrittenTable<T> {
  json: readonly string[];
  fromRow(row: unknown[]): T;
}

/** Rows of `table` where `where` holds, read as one JSON value (see BatchTable) and mapped. */
export async function readRows<T>(
  db: { execute(statement: InStatement): Promise<ResultSet> }, table: BatchTable<T>, where: string, args: InValue[],
): Promise<T[]> {
  const cells = table.columns.map((c) => (table.json.includes(c) ? `json("${c}")` : `"${c}"`)).join(', ');
  const result = await db.execute({ sql: `select json_group_array(json_array(${cells})) from "${table.name}" where ${where}`, args });
  return (JSON.parse(result.rows[0]![0] as string) as unknown[][]).map(table.fromRow);
}

const text = (value: unknown) => value as string;
const textOrNull = (value: unknown) => (value ?? null) as string | null;
const json = (value: unknown) => JSON.stringify(value);

export const itemTable: BatchTable<ItemRow> = {
  name: 'items',
  columns: [
    'id', 'org_id', 'account_id', 'external_id', 'kind', 'direction', 'received_at', 'machine', 'status', 'state', 'context',
    'version', 'content_hash', 'created_at', 'updated_at',
  ],
  values: (r) => [
    r.id, r.orgId, r.accountId, r.externalId, r.kind, r.direction, r.receivedAt, r.machine, r.status,
    json(r.state), storedContextText(r.context), r.version, r.contentHash, r.createdAt, r.updatedAt,
  ],
  // The context comes as its stored text, which then keys the stepper's memo (json-text.ts); it
  // names its rules, which the batch makes whole once it has read them (item-rules.ts).
  json: ['state'],
  fromRow: (r) => ({
    id: text(r[0]), orgId: text(r[1]), accountId: text(r[2]), externalId: text(r[3]), kind: text(r[4]), direction: text(r[5]),
    receivedAt: text(r[6]), machine: text(r[7]), status: text(r[8]), state: r[9], context: readStoredContext(text(r[10])),
    version: Number(r[11]), contentHash: text(r[12]), createdAt: text(r[13]), updatedAt: text(r[14]),
  }),
};

/** What a step changes on an item it read: the batch updates only these (id first, as the key); a migration moves its machine. */
export const itemChange: WrittenTable<ItemRow> = {
  name: 'items',
  columns: ['id', 'machine', 'status', 'state', 'context', 'version', 'updated_at'],
  values: (r) => [r.id, r.machine, r.status, json(r.state), storedContextText(r.context), r.version, r.updatedAt],
};

/** The same, for a step that kept the item's status. */
export const itemChangeKeepingStatus: WrittenTable<ItemRow> = {
  name: 'items',
  columns: ['id', 'machine', 'state', 'context', 'version', 'updated_at'],
  values: (r) => [r.id, r.machine, json(r.state), storedContextText(r.context), r.version, r.updatedAt],
};

export const deadlineTable: BatchTable<DeadlineRow> = {
  name: 'deadlines',
  columns: ['item_id', 'kind', 'org_id', 'due_at', 'status', 'opened_at', 'breached_at', 'settled_at'],
  values: (r) => [r.itemId, r.kind, r.orgId, r.dueAt, r.status, r.openedAt, r.breachedAt, r.settledAt],
  json: [],
  fromRow: (r) => ({
    itemId: text(r[0]), kind: text(r[1]), orgId: text(r[2]), dueAt: text(r[3]), status: text(r[4]), openedAt: text(r[5]),
    breachedAt: textOrNull(r[6]), settledAt: textOrNull(r[7]),
  }),
};

export const contentTable: BatchTable<ContentRow> = {
  name: 'contents',
  columns: ['hash', 'org_id', 'item_id', 'role', 'body', 'salt', 'created_at', 'erased_at', 'erased_reason'],
  values: (r) => [r.hash, r.orgId, r.itemId, r.role, r.body === null ? null : json(r.body), r.salt, r.createdAt, r.erasedAt, r.erasedReason],
  json: ['body'],
  fromRow: (r) => ({
    hash: text(r[0]), orgId: text(r[1]), itemId: text(r[2]), role: text(r[3]), body: (r[4] ?? null) as ContentRow['body'],
    salt: textOrNull(r[5]), createdAt: text(r[6]), erasedAt: textOrNull(r[7]), erasedReason: textOrNull(r[8]),
  }),
};

export const idempotencyTable: BatchTable<IdempotencyRow> = {
  name: 'idempotency_keys',
  columns: ['key_id', 'idempotency_key', 'item_id', 'fingerprint', 'applied', 'body', 'created_at'],
  values: (r) => [r.keyId, r.key, r.itemId, r.fingerprint, r.applied ? 1 : 0, json(r.body), r.createdAt],
  json: ['body'],
  fromRow: (r) => ({
    keyId: text(r[0]), key: text(r[1]), itemId: text(r[2]), fingerprint: text(r[3]), applied: Number(r[4]) === 1,
    body: r[5], createdAt: text(r[6]),
  }),
};

/** Ledger links are only appended: the batch never reads them back. */
export const ledgerTable: WrittenTable<LedgerRow> = {
  name: 'ledger_events',
  columns: [
    'org_id', 'org_seq', 'subject', 'subject_id', 'seq', 'type', 'actor_key_id', 'actor_role', 'at', 'machine', 'from_state',
    'to_state', 'payload', 'prev_hash', 'hash', 'policy_version',
  ],
  values: (r) => [
    r.orgId, r.orgSeq, r.subject, r.subjectId, r.seq, r.type, r.actorKeyId ?? null, r.actorRole, r.at, r.machine,
    r.fromState, r.toState, r.payload, r.prevHash, r.hash, r.policyVersion ?? null,
  ],
};
