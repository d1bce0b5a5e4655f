// One write transaction's working set (a unit of work). The write queue runs many commands in
// one transaction (group commit); measured, the cost of a step was the number of statements
// (each ~100 µs through Drizzle and the driver, which prepares every statement anew), not
// SQLite. So the batch:
// - reads the items, contents, deadlines and idempotency keys of all its commands at once
//   (prefetch), and serves every later read of those rows from memory — including rows that
//   earlier commands of the batch changed, so per-item order holds;
// - keeps every write in memory and writes it at the end as a few multi-row statements;
// - keeps each organisation's ledger head in memory, so a batch moves each head once.
// Reads happen inside the write transaction (BEGIN IMMEDIATE), so what the batch holds cannot
// change under it, even with a second process on the same file. Commands that write with their
// own SQL run `direct`: the queue flushes before them and forgets what it read after them.
import type { InValue, Transaction } from '@libsql/client';
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Policy } from '../machines/policy/policy.schema.ts';
import type { Tx } from './client.ts';
import type { DeadlineRow } from './deadlines.ts';
import type { ItemRow } from './item-view.ts';
import { policyOf, type Organisation } from './organisations.ts';
import { accounts, apiKeys, contents, deadlines, idempotencyKeys, items, ledgerEvents, organisations } from './schema.ts';

export type ContentRow = typeof contents.$inferSelect;
export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;
export type LedgerRow = typeof ledgerEvents.$inferInsert;
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
  private readonly deadlineRows = new Map<string, DeadlineRow[]>();
  private readonly idempotencyRows = new Map<string, IdempotencyRow | null>();
  private readonly orgRows = new Map<string, Organisation | null>();
  private readonly accountRows = new Map<string, AccountSummary | null>();
  private readonly heads = new Map<string, { seq: number; hash: string; stored: number }>();
  private readonly liveKeys = new Map<string, boolean>();

  private readonly pendingItems = new Map<string, ItemRow>();
  private readonly pendingDeadlines = new Map<string, DeadlineRow>();
  private pendingContents: ContentRow[] = [];
  private pendingEvents: LedgerRow[] = [];
  private pendingIdempotency: IdempotencyRow[] = [];

  /** `tx`: Drizzle over the queue's transaction; `raw`: the same transaction, for the multi-row writes. */
  constructor(readonly tx: Tx, private readonly raw: Transaction) {}

  async prefetch(wanted: Prefetch): Promise<void> {
    const ids = unique(wanted.itemIds ?? []).filter((id) => !this.itemRows.has(id));
    if (ids.length > 0) {
      for (const id of ids) this.itemRows.set(id, null);
      await this.remember(await this.tx.select().from(items).where(inArray(items.id, ids)));
    }
    const externals = (wanted.externals ?? []).filter(({ accountId, externalId }) => !this.externalRows.has(externalKey(accountId, externalId)));
    if (externals.length > 0) {
      for (const { accountId, externalId } of externals) this.externalRows.set(externalKey(accountId, externalId), null);
      await this.remember(await this.tx.select().from(items).where(rowIn(sql`(${items.accountId}, ${items.externalId})`, externals.map((e) => [e.accountId, e.externalId]))));
    }
    const keys = (wanted.idempotency ?? []).filter(({ keyId, key }) => !this.idempotencyRows.has(pairKey(keyId, key)));
    if (keys.length > 0) {
      for (const { keyId, key } of keys) this.idempotencyRows.set(pairKey(keyId, key), null);
      const rows = await this.tx.select().from(idempotencyKeys).where(rowIn(sql`(${idempotencyKeys.keyId}, ${idempotencyKeys.key})`, keys.map((k) => [k.keyId, k.key])));
      for (const row of rows) this.idempotencyRows.set(pairKey(row.keyId, row.key), row);
    }
    const keyIds = unique(wanted.keyIds ?? []).filter((id) => !this.liveKeys.has(id));
    if (keyIds.length > 0) {
      for (const id of keyIds) this.liveKeys.set(id, false);
      const live = await this.tx.select({ id: apiKeys.id }).from(apiKeys).where(and(inArray(apiKeys.id, keyIds), isNull(apiKeys.revokedAt)));
      for (const { id } of live) this.liveKeys.set(id, true);
    }
  }

  /** Remembers item rows read from the database, with their content and deadlines. */
  private async remember(rows: ItemRow[]): Promise<void> {
    for (const row of rows) {
      this.itemRows.set(row.id, row);
      this.externalRows.set(externalKey(row.accountId, row.externalId), row);
    }
    const hashes = unique(rows.map((row) => row.contentHash)).filter((hash) => !this.contentRows.has(hash));
    if (hashes.length > 0) {
      for (const hash of hashes) this.contentRows.set(hash, null);
      for (const row of await this.tx.select().from(contents).where(inArray(contents.hash, hashes))) this.contentRows.set(row.hash, row);
    }
    const withoutDeadlines = rows.map((row) => row.id).filter((id) => !this.deadlineRows.has(id));
    if (withoutDeadlines.length > 0) {
      for (const id of withoutDeadlines) this.deadlineRows.set(id, []);
      for (const row of await this.tx.select().from(deadlines).where(inArray(deadlines.itemId, withoutDeadlines))) {
        this.deadlineRows.get(row.itemId)!.push(row);
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
      const [row] = await this.tx.select().from(contents).where(eq(contents.hash, hash));
      this.contentRows.set(hash, row ?? null);
    }
    return this.contentRows.get(hash) ?? null;
  }

  /** All deadline rows of an item, in no particular order. */
  async deadlines(itemId: string): Promise<readonly DeadlineRow[]> {
    if (!this.deadlineRows.has(itemId)) {
      this.deadlineRows.set(itemId, await this.tx.select().from(deadlines).where(eq(deadlines.itemId, itemId)));
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
      if (row && !this.heads.has(orgId)) this.heads.set(orgId, { seq: row.ledgerSeq, hash: row.ledgerHead, stored: row.ledgerSeq });
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

  putItem(row: ItemRow): void {
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
  }

  /**
   * Writes everything held, in a few multi-row statements. Written as SQL text straight to the
   * driver: Drizzle's building of these statements, value by value, was a tenth of a step's CPU.
   * JSON columns are stored as JSON.stringify text and booleans as 0/1, as Drizzle stores them.
   */
  async flush(): Promise<void> {
    for (const chunk of chunks(this.pendingContents)) {
      await this.write('contents', contentColumns, chunk.map((r) => [
        r.hash, r.orgId, r.itemId, r.role, json(r.body), r.salt, r.createdAt, r.erasedAt, r.erasedReason,
      ]));
    }
    for (const chunk of chunks([...this.pendingItems.values()])) {
      // New items are inserted, known ones updated; the version may only move forward.
      const written = await this.write('items', itemColumns, chunk.map((r) => [
        r.id, r.orgId, r.accountId, r.externalId, r.kind, r.direction, r.receivedAt, r.machine, r.status,
        json(r.state), json(r.context), r.version, r.contentHash, r.createdAt, r.updatedAt,
      ]), ` on conflict ("id") do update set ${updateSet(['status', 'state', 'context', 'version', 'updated_at'])} where "items"."version" < excluded."version"`);
      if (written !== chunk.length) throw new Error('an item changed under its write transaction');
    }
    for (const chunk of chunks([...this.pendingDeadlines.values()])) {
      await this.write('deadlines', deadlineColumns, chunk.map((r) => [
        r.itemId, r.kind, r.orgId, r.dueAt, r.status, r.openedAt, r.breachedAt, r.settledAt,
      ]), ` on conflict ("item_id", "kind") do update set ${updateSet(['due_at', 'status', 'opened_at', 'breached_at', 'settled_at'])}`);
    }
    for (const chunk of chunks(this.pendingEvents)) {
      await this.write('ledger_events', ledgerColumns, chunk.map((r) => [
        r.orgId, r.orgSeq, r.subject, r.subjectId, r.seq, r.type, r.actorKeyId ?? null, r.actorRole, r.at, r.machine,
        r.fromState === null || r.fromState === undefined ? null : json(r.fromState), json(r.toState), json(r.payload), r.prevHash, r.hash,
      ]));
    }
    for (const [orgId, head] of this.heads) {
      if (head.seq === head.stored) continue;
      // Compare-and-set on the head: a writer that raced us fails here, not silently.
      const moved = await this.raw.execute({
        sql: 'update "organisations" set "ledger_seq" = ?, "ledger_head" = ? where "id" = ? and "ledger_seq" = ?',
        args: [head.seq, head.hash, orgId, head.stored],
      });
      if (moved.rowsAffected !== 1) throw new Error('ledger head moved during the transaction');
      head.stored = head.seq;
    }
    for (const chunk of chunks(this.pendingIdempotency)) {
      await this.write('idempotency_keys', idempotencyColumns, chunk.map((r) => [
        r.keyId, r.key, r.itemId, r.fingerprint, r.applied ? 1 : 0, json(r.body), r.createdAt,
      ]));
    }
    this.pendingItems.clear();
    this.pendingDeadlines.clear();
    this.pendingContents = [];
    this.pendingEvents = [];
    this.pendingIdempotency = [];
  }

  /** One multi-row insert; returns the rows it changed. */
  private async write(table: string, columns: readonly string[], rows: InValue[][], tail = ''): Promise<number> {
    const row = `(${columns.map(() => '?').join(', ')})`;
    const result = await this.raw.execute({
      sql: `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${rows.map(() => row).join(', ')}${tail}`,
      args: rows.flat(),
    });
    return result.rowsAffected;
  }

  /** After SQL of its own changed rows: nothing read before can be trusted. Flush first. */
  forget(): void {
    if (this.pendingItems.size + this.pendingDeadlines.size + this.pendingContents.length + this.pendingEvents.length + this.pendingIdempotency.length > 0) {
      throw new Error('forget() with writes not flushed');
    }
    for (const map of [this.itemRows, this.externalRows, this.contentRows, this.deadlineRows, this.idempotencyRows, this.orgRows, this.accountRows, this.heads, this.liveKeys]) {
      map.clear();
    }
  }
}

const contentColumns = ['hash', 'org_id', 'item_id', 'role', 'body', 'salt', 'created_at', 'erased_at', 'erased_reason'] as const;
const itemColumns = [
  'id', 'org_id', 'account_id', 'external_id', 'kind', 'direction', 'received_at', 'machine', 'status', 'state', 'context',
  'version', 'content_hash', 'created_at', 'updated_at',
] as const;
const deadlineColumns = ['item_id', 'kind', 'org_id', 'due_at', 'status', 'opened_at', 'breached_at', 'settled_at'] as const;
const ledgerColumns = [
  'org_id', 'org_seq', 'subject', 'subject_id', 'seq', 'type', 'actor_key_id', 'actor_role', 'at', 'machine', 'from_state',
  'to_state', 'payload', 'prev_hash', 'hash',
] as const;
const idempotencyColumns = ['key_id', 'idempotency_key', 'item_id', 'fingerprint', 'applied', 'body', 'created_at'] as const;

const json = (value: unknown) => JSON.stringify(value);
const updateSet = (columns: string[]) => columns.map((c) => `"${c}" = excluded."${c}"`).join(', ');

/** `(a, b) in (values (?, ?), …)`: one statement for many composite keys. */
function rowIn(columns: SQL, pairs: Array<[string, string]>): SQL {
  return sql`${columns} in (values ${sql.join(pairs.map(([a, b]) => sql`(${a}, ${b})`), sql`, `)})`;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += rowsPerStatement) yield rows.slice(i, i + rowsPerStatement);
}
