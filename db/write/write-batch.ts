// One write transaction's working set (a unit of work). The write queue runs many commands in
// one transaction (group commit); measured, the cost of a step was the number of statements
// (each ~100 µs through Drizzle and the driver, which prepares every statement anew), not
// SQLite. So the batch:
// - reads the items, contents, deadlines and idempotency keys of all its commands at once
//   (prefetch), and serves every later read of those rows from memory — including rows that
//   earlier commands of the batch changed, so per-item order holds;
// - keeps every write in memory and writes it at the end as a few multi-row statements;
// - keeps each organisation's ledger head in memory, so a batch moves each head once.
// Reads happen inside the write transaction, which holds the write lock from its start
// (write-lock.ts), so what the batch holds cannot change under it, even with a second process on
// the same file. Commands that write with their own SQL run `direct`: the queue flushes before
// them and forgets what it read after them.
import type { InValue, Transaction } from '@libsql/client';
import { eq } from 'drizzle-orm';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import {
  contentTable, deadlineTable, idempotencyTable, itemChange, itemChangeKeepingStatus, itemTable, ledgerTable, readRows,
  type ContentRow, type IdempotencyRow, type LedgerRow, type WrittenTable,
} from './batch-rows.ts';
import type { Tx } from '../client.ts';
import type { DeadlineRow } from '../items/deadlines.ts';
import { loadRules, namedRulesOf, refIn, storedContextText, wholeContext } from '../items/item-rules.ts';
import type { ItemRow } from '../items/item-view.ts';
import { policyOf, type Organisation } from '../organisations.ts';
import { accounts, organisations } from '../schema.ts';
import { appendLeaf, leafHash } from '../ledger/merkle.ts';
import { buildTree, frontierFits, nodeColumns, nodeValues, parseFrontier } from '../ledger/merkle-store.ts';

export type { ContentRow, IdempotencyRow, LedgerRow };
export type AccountSummary = { id: string; orgId: string; status: string; platform: string };

/** What a command will read, so the batch can read it for all its commands in one go. */
export interface Prefetch {
  itemIds?: string[];
  externals?: Array<{ accountId: string; externalId: string }>;
  idempotency?: Array<{ keyId: string; key: string }>;
  /** API keys whose revocation the commands check in their transaction. */
  keyIds?: string[];
}

// Under SQLite's 32,766 bound parameters for the widest table written (15 columns).
const rowsPerStatement = 500;

const externalKey = (accountId: string, externalId: string) => `${accountId}\n${externalId}`;
const pairKey = (a: string, b: string) => `${a}\n${b}`;

export class WriteBatch {
  private readonly itemRows = new Map<string, ItemRow | null>();
  private readonly externalRows = new Map<string, ItemRow | null>();
  private readonly contentRows = new Map<string, ContentRow | null>();
  /** Items and deadlines known to be in the database (read from it, or inserted by this batch), with an item's stored status. */
  private readonly storedItems = new Map<string, string>();
  private readonly storedDeadlines = new Set<string>();
  /** Content hashes of remembered items, read together by the first content() call. */
  private readonly contentWanted = new Set<string>();
  private readonly deadlineRows = new Map<string, DeadlineRow[]>();
  private readonly idempotencyRows = new Map<string, IdempotencyRow | null>();
  private readonly orgRows = new Map<string, Organisation | null>();
  private readonly accountRows = new Map<string, AccountSummary | null>();
  /** Each organisation's chain head and Merkle frontier (merkle.ts); `rebuilt`: its tree was built in this batch. */
  private readonly heads = new Map<string, { seq: number; hash: string; stored: number; frontier: string[]; rebuilt: boolean }>();
  private readonly liveKeys = new Map<string, boolean>();

  private readonly pendingItems = new Map<string, ItemRow>();
  /** Rules sets the pending items name, by ref, and the refs known to be stored (item-rules.ts). */
  private readonly pendingRules = new Map<string, string>();
  private readonly storedRules = new Set<string>();
  private readonly pendingDeadlines = new Map<string, DeadlineRow>();
  private pendingContents: ContentRow[] = [];
  private pendingEvents: LedgerRow[] = [];
  private pendingNodes: InValue[][] = [];
  private pendingIdempotency: IdempotencyRow[] = [];

  /** `tx`: Drizzle over the queue's transaction; `raw`: the same transaction, for the multi-row writes. */
  constructor(readonly tx: Tx, private readonly raw: Transaction) {}

  async prefetch(wanted: Prefetch): Promise<void> {
    const ids = unique(wanted.itemIds ?? []).filter((id) => !this.itemRows.has(id));
    if (ids.length > 0) {
      for (const id of ids) this.itemRows.set(id, null);
      await this.remember(await readRows(this.raw, itemTable, `"id" in ${list(ids.length)}`, ids));
    }
    const externals = (wanted.externals ?? []).filter(({ accountId, externalId }) => !this.externalRows.has(externalKey(accountId, externalId)));
    if (externals.length > 0) {
      for (const { accountId, externalId } of externals) this.externalRows.set(externalKey(accountId, externalId), null);
      await this.remember(await readRows(this.raw, itemTable, `("account_id", "external_id") in ${pairs(externals.length)}`, externals.flatMap((e) => [e.accountId, e.externalId])));
    }
    const keys = (wanted.idempotency ?? []).filter(({ keyId, key }) => !this.idempotencyRows.has(pairKey(keyId, key)));
    if (keys.length > 0) {
      for (const { keyId, key } of keys) this.idempotencyRows.set(pairKey(keyId, key), null);
      const rows = await readRows(this.raw, idempotencyTable, `("key_id", "idempotency_key") in ${pairs(keys.length)}`, keys.flatMap((k) => [k.keyId, k.key]));
      for (const row of rows) this.idempotencyRows.set(pairKey(row.keyId, row.key), row);
    }
    const keyIds = unique(wanted.keyIds ?? []).filter((id) => !this.liveKeys.has(id));
    if (keyIds.length > 0) {
      for (const id of keyIds) this.liveKeys.set(id, false);
      const live = await this.raw.execute({ sql: `select "id" from "api_keys" where "id" in ${list(keyIds.length)} and "revoked_at" is null`, args: keyIds });
      for (const row of live.rows) this.liveKeys.set(row[0] as string, true);
    }
  }

  /** Remembers item rows read from the database, with their content and deadlines. */
  private async remember(rows: ItemRow[]): Promise<void> {
    const named = rows.map((row) => refIn(row.context)).filter((ref) => ref !== null);
    if (named.length > 0) {
      await loadRules(this.tx, named);
      for (const ref of named) this.storedRules.add(ref);
      for (const row of rows) row.context = wholeContext(row.context);
    }
    for (const row of rows) {
      this.storedItems.set(row.id, row.status);
      this.itemRows.set(row.id, row);
      this.externalRows.set(externalKey(row.accountId, row.externalId), row);
    }
    // Contents are read on the first content() call, for every item remembered by then: the
    // deadline sweep never needs them, and a batch of client events needs them all.
    for (const row of rows) if (!this.contentRows.has(row.contentHash)) this.contentWanted.add(row.contentHash);
    const withoutDeadlines = rows.map((row) => row.id).filter((id) => !this.deadlineRows.has(id));
    if (withoutDeadlines.length > 0) {
      for (const id of withoutDeadlines) this.deadlineRows.set(id, []);
      for (const row of await readRows(this.raw, deadlineTable, `"item_id" in ${list(withoutDeadlines.length)}`, withoutDeadlines)) {
        this.deadlineRows.get(row.itemId)!.push(row);
        this.storedDeadlines.add(pairKey(row.itemId, row.kind));
      }
    }
  }

  // ---- reads, from memory when the batch has the row ----

  async item(orgId: string, id: string): Promise<ItemRow | null> {
    if (!this.itemRows.has(id)) await this.prefetch({ itemIds: [id] });
    const row = this.itemRows.get(id) ?? null;
    return row && row.orgId === orgId ? row : null;
  }

  async itemByExternal(accountId: string, externalId: string): Promise<ItemRow | null> {
    if (!this.externalRows.has(externalKey(accountId, externalId))) await this.prefetch({ externals: [{ accountId, externalId }] });
    return this.externalRows.get(externalKey(accountId, externalId)) ?? null;
  }

  async content(hash: string): Promise<ContentRow | null> {
    if (!this.contentRows.has(hash)) {
      const hashes = [...this.contentWanted.add(hash)].filter((wanted) => !this.contentRows.has(wanted));
      this.contentWanted.clear();
      for (const wanted of hashes) this.contentRows.set(wanted, null);
      for (const row of await readRows(this.raw, contentTable, `"hash" in ${list(hashes.length)}`, hashes)) this.contentRows.set(row.hash, row);
    }
    return this.contentRows.get(hash) ?? null;
  }

  /** All deadline rows of an item, in no particular order. */
  async deadlines(itemId: string): Promise<readonly DeadlineRow[]> {
    if (!this.deadlineRows.has(itemId)) {
      const rows = await readRows(this.raw, deadlineTable, `"item_id" = ?`, [itemId]);
      for (const row of rows) this.storedDeadlines.add(pairKey(row.itemId, row.kind));
      this.deadlineRows.set(itemId, rows);
    }
    return this.deadlineRows.get(itemId)!;
  }

  async idempotency(keyId: string, key: string): Promise<IdempotencyRow | null> {
    if (!this.idempotencyRows.has(pairKey(keyId, key))) await this.prefetch({ idempotency: [{ keyId, key }] });
    return this.idempotencyRows.get(pairKey(keyId, key)) ?? null;
  }

  /** Whether the API key exists and is not revoked, as of this transaction. */
  async keyLive(keyId: string): Promise<boolean> {
    if (!this.liveKeys.has(keyId)) await this.prefetch({ keyIds: [keyId] });
    return this.liveKeys.get(keyId) === true;
  }

  async organisation(orgId: string): Promise<Organisation | null> {
    if (!this.orgRows.has(orgId)) {
      const [row] = await this.tx.select().from(organisations).where(eq(organisations.id, orgId));
      this.orgRows.set(orgId, row ?? null);
      if (row && !this.heads.has(orgId)) {
        const head = { seq: row.ledgerSeq, hash: row.ledgerHead, stored: row.ledgerSeq, frontier: parseFrontier(row.ledgerFrontier), rebuilt: false };
        // A database from before the Merkle tree: build it from the chain, in this transaction.
        if (!frontierFits(head.frontier, head.seq)) {
          const tree = await buildTree(this.raw, orgId, head.seq);
          head.frontier = tree.frontier;
          head.rebuilt = true;
          for (const node of tree.nodes) this.pendingNodes.push(nodeValues(orgId, node));
        }
        this.heads.set(orgId, head);
      }
    }
    return this.orgRows.get(orgId) ?? null;
  }

  async policy(orgId: string): Promise<Policy> {
    const org = await this.organisation(orgId);
    if (!org) throw new Error(`organisation ${orgId} does not exist`);
    return policyOf(org);
  }

  async account(orgId: string, id: string): Promise<AccountSummary | null> {
    if (!this.accountRows.has(id)) {
      const [row] = await this.tx
        .select({ id: accounts.id, orgId: accounts.orgId, status: accounts.status, platform: accounts.platform })
        .from(accounts)
        .where(eq(accounts.id, id));
      this.accountRows.set(id, row ?? null);
    }
    const row = this.accountRows.get(id) ?? null;
    return row && row.orgId === orgId ? row : null;
  }

  /** The organisation's chain head as this batch has moved it. */
  async head(orgId: string): Promise<{ seq: number; hash: string }> {
    if (!this.heads.has(orgId) && !(await this.organisation(orgId))) throw new Error(`organisation ${orgId} does not exist`);
    return this.heads.get(orgId)!;
  }

  // ---- writes, held until flush ----

  /** A new item, not yet in the database: it has no deadlines until the batch opens them. */
  addItem(row: ItemRow): void {
    if (this.storedItems.has(row.id)) throw new Error(`item ${row.id} already exists`);
    this.deadlineRows.set(row.id, []);
    this.putItem(row);
  }

  /** A changed item (new or read through the batch). */
  putItem(row: ItemRow): void {
    // The stored text is made now, so that the steppers' memos key on it rather than on the whole
    // context's text (item-rules.ts); the rules it names are stored with the row.
    storedContextText(row.context);
    const rules = namedRulesOf(row.context);
    if (rules && !this.storedRules.has(rules.ref)) this.pendingRules.set(rules.ref, rules.text);
    this.itemRows.set(row.id, row);
    this.externalRows.set(externalKey(row.accountId, row.externalId), row);
    this.pendingItems.set(row.id, row);
  }

  putDeadline(row: DeadlineRow): void {
    const rows = this.deadlineRows.get(row.itemId) ?? [];
    this.deadlineRows.set(row.itemId, [...rows.filter((r) => r.kind !== row.kind), row]);
    this.pendingDeadlines.set(pairKey(row.itemId, row.kind), row);
  }

  addContent(row: ContentRow): void {
    this.contentRows.set(row.hash, row);
    this.pendingContents.push(row);
  }

  addIdempotency(row: IdempotencyRow): void {
    this.idempotencyRows.set(pairKey(row.keyId, row.key), row);
    this.pendingIdempotency.push(row);
  }

  /** Appends a link whose hash the caller computed from `head(orgId)`; moves the head. */
  addEvent(row: LedgerRow & { orgSeq: number; hash: string }): void {
    const head = this.heads.get(row.orgId);
    if (!head || row.orgSeq !== head.seq + 1) throw new Error(`ledger link ${row.orgSeq} does not follow the head of ${row.orgId}`);
    head.seq = row.orgSeq;
    head.hash = row.hash;
    this.pendingEvents.push(row);
    // The Merkle tree grows with the chain: the leaf and the subtrees it closes, amortised two hashes.
    for (const node of appendLeaf(head.frontier, row.orgSeq - 1, leafHash(row.hash))) this.pendingNodes.push(nodeValues(row.orgId, node));
  }

  /**
   * Writes everything held, in a few multi-row statements. Written as SQL text straight to the
   * driver: Drizzle's building of these statements, value by value, was a tenth of a step's CPU.
   * JSON columns are stored as JSON.stringify text and booleans as 0/1, as Drizzle stores them;
   * the ledger's JSON columns arrive as the canonical text its hashes cover.
   */
  async flush(): Promise<void> {
    for (const chunk of chunks(this.pendingContents)) {
      await this.insert(contentTable, chunk);
    }
    if (this.pendingRules.size > 0) {
      await this.raw.execute({
        sql: `insert or ignore into "item_rules" ("ref", "rules") values ${placeholders(2, this.pendingRules.size)}`,
        args: [...this.pendingRules].flat(),
      });
      for (const ref of this.pendingRules.keys()) this.storedRules.add(ref);
      this.pendingRules.clear();
    }
    const items = [...this.pendingItems.values()];
    // Items read from the database are updated in place (an insert that conflicts cost twice as
    // much); the version may only move forward. A status that did not change is not written: it
    // is in an index, which SQLite rewrites for every column an update sets, and a deadline
    // breach (the sweep's one step) keeps it.
    const changes = [itemChange, itemChangeKeepingStatus].map((table) => ({ table, rows: [] as ItemRow[] }));
    for (const r of items) {
      const status = this.storedItems.get(r.id);
      if (status !== undefined) changes[status === r.status ? 1 : 0]!.rows.push(r);
    }
    for (const { table, rows } of changes) {
      for (const chunk of chunks(rows)) {
        const written = await this.update(table, ['id'], chunk, '"items"."version" < "v"."version"');
        if (written !== chunk.length) throw new Error('an item changed under its write transaction');
        for (const r of chunk) this.storedItems.set(r.id, r.status);
      }
    }
    for (const chunk of chunks(items.filter((r) => !this.storedItems.has(r.id)))) {
      await this.insert(itemTable, chunk);
      for (const r of chunk) this.storedItems.set(r.id, r.status);
    }
    const deadlineRows = [...this.pendingDeadlines.values()];
    for (const chunk of chunks(deadlineRows.filter((r) => this.storedDeadlines.has(pairKey(r.itemId, r.kind))))) {
      const written = await this.update(deadlineTable, ['item_id', 'kind'], chunk);
      if (written !== chunk.length) throw new Error('a deadline changed under its write transaction');
    }
    for (const chunk of chunks(deadlineRows.filter((r) => !this.storedDeadlines.has(pairKey(r.itemId, r.kind))))) {
      await this.insert(deadlineTable, chunk);
      for (const r of chunk) this.storedDeadlines.add(pairKey(r.itemId, r.kind));
    }
    for (const chunk of chunks(this.pendingEvents)) {
      await this.insert(ledgerTable, chunk);
    }
    for (const chunk of chunks(this.pendingNodes)) {
      await this.raw.execute({ sql: `insert into "ledger_nodes" (${quoted(nodeColumns)}) values ${placeholders(nodeColumns.length, chunk.length)}`, args: chunk.flat() });
    }
    for (const [orgId, head] of this.heads) {
      if (head.seq === head.stored && !head.rebuilt) continue;
      // Compare-and-set on the head: a writer that raced us fails here, not silently.
      const moved = await this.raw.execute({
        sql: 'update "organisations" set "ledger_seq" = ?, "ledger_head" = ?, "ledger_frontier" = ? where "id" = ? and "ledger_seq" = ?',
        args: [head.seq, head.hash, JSON.stringify(head.frontier), orgId, head.stored],
      });
      if (moved.rowsAffected !== 1) throw new Error('ledger head moved during the transaction');
      head.stored = head.seq;
      head.rebuilt = false;
    }
    for (const chunk of chunks(this.pendingIdempotency)) {
      await this.insert(idempotencyTable, chunk);
    }
    this.pendingItems.clear();
    this.pendingDeadlines.clear();
    this.pendingContents = [];
    this.pendingEvents = [];
    this.pendingNodes = [];
    this.pendingIdempotency = [];
  }

  /** One multi-row insert; returns the rows it changed. */
  private async insert<T>(table: WrittenTable<T>, rows: T[]): Promise<number> {
    const result = await this.raw.execute({
      sql: `insert into "${table.name}" (${quoted(table.columns)}) values ${placeholders(table.columns.length, rows.length)}`,
      args: rows.flatMap(table.values),
    });
    return result.rowsAffected;
  }

  /**
   * One multi-row update: the `keys` columns find each row, the others are set, where `where`
   * also holds (`"v"` names the new values). Returns the rows it changed.
   */
  private async update<T>(table: WrittenTable<T>, keys: readonly string[], rows: T[], where = 'true'): Promise<number> {
    const { name, columns } = table;
    const result = await this.raw.execute({
      sql: `with "v" (${quoted(columns)}) as (values ${placeholders(columns.length, rows.length)}) ` +
        `update "${name}" set ${columns.filter((c) => !keys.includes(c)).map((c) => `"${c}" = "v"."${c}"`).join(', ')} ` +
        `from "v" where ${keys.map((k) => `"${name}"."${k}" = "v"."${k}"`).join(' and ')} and ${where}`,
      args: rows.flatMap(table.values),
    });
    return result.rowsAffected;
  }

  /** After SQL of its own changed rows: nothing read before can be trusted. Flush first. */
  forget(): void {
    if (this.pendingItems.size + this.pendingRules.size + this.pendingDeadlines.size + this.pendingContents.length + this.pendingEvents.length + this.pendingNodes.length + this.pendingIdempotency.length > 0) {
      throw new Error('forget() with writes not flushed');
    }
    for (const remembered of [
      this.itemRows, this.externalRows, this.contentRows, this.contentWanted, this.storedItems, this.storedDeadlines, this.deadlineRows,
      this.idempotencyRows, this.orgRows, this.accountRows, this.heads, this.liveKeys,
    ]) {
      remembered.clear();
    }
  }
}

const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(', ');
/** `(?, ?, …), (?, ?, …), …`: `rows` rows of `width` parameters. */
const placeholders = (width: number, rows: number) => Array(rows).fill(`(${Array(width).fill('?').join(', ')})`).join(', ');
/** `(?, ?, …)`: a list of `n` parameters for `in`. */
const list = (n: number) => `(${Array(n).fill('?').join(', ')})`;
/** `(values (?, ?), …)`: `n` composite keys for `(a, b) in`. */
const pairs = (n: number) => `(values ${placeholders(2, n)})`;

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += rowsPerStatement) yield rows.slice(i, i + rowsPerStatement);
}
