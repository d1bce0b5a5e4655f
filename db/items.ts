// Items: ingest (the first link of an item's history) and the reads.
import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import { deadlineChanges } from '../machines/item.deadlines.ts';
import { itemMachineVersion, type Direction, type ItemKind } from '../machines/item.machine.ts';
import { itemRulesOf } from '../machines/item.rules.ts';
import { itemStatus, startItem } from '../machines/item.step.ts';
import type { Platform, Policy } from '../machines/policy/policy.schema.ts';
import type { Db, Store, Tx } from './client.ts';
import { readContent, storeContent } from './contents.ts';
import { applyDeadlineChanges, deadlinesOf, isOverdue } from './deadlines.ts';
import { newId } from './ids.ts';
import { itemView, type ItemRow, type ItemView } from './item-view.ts';
import { appendEvent, type Actor } from './ledger.ts';
import { notFound, type Failure } from './outcome.ts';
import { accounts, contents, items } from './schema.ts';

export interface NewItem {
  accountId: string;
  externalId: string;
  kind: ItemKind;
  direction: Direction;
  author: { handle: string; name?: string | undefined };
  text: string;
  url?: string | undefined;
  receivedAt?: string | undefined;
  inReplyTo?: string | undefined;
  language?: string | undefined;
}

/** How far in the future a client's receivedAt may lie (clock skew between systems). */
const maxFutureMs = 5 * 60 * 1000;

const receivingStatuses: readonly string[] = ['active', 'review_due', 'closing'];

export async function ingestItem(
  store: Store,
  cmd: { orgId: string; policy: Policy; actor: Actor; item: NewItem; now: Date },
): Promise<{ ok: true; created: boolean; item: ItemView } | Failure> {
  const { item, now } = cmd;
  const receivedAt = item.receivedAt ? new Date(item.receivedAt) : now;
  if (Number.isNaN(receivedAt.getTime())) {
    return { ok: false, code: 'invalid', detail: 'receivedAt is not an instant.', errors: [{ path: 'receivedAt', message: 'not an ISO 8601 instant' }] };
  }
  if (receivedAt.getTime() > now.getTime() + maxFutureMs) {
    return {
      ok: false, code: 'invalid', detail: 'receivedAt may not be more than 5 minutes in the future.',
      errors: [{ path: 'receivedAt', message: 'more than 5 minutes in the future' }],
    };
  }
  const at = now.toISOString();
  return store.writes.run(async (tx) => {
    const [account] = await tx
      .select({ id: accounts.id, status: accounts.status, platform: accounts.platform })
      .from(accounts)
      .where(and(eq(accounts.id, item.accountId), eq(accounts.orgId, cmd.orgId)));
    if (!account) return notFound('Account');
    const [existing] = await tx
      .select()
      .from(items)
      .where(and(eq(items.accountId, item.accountId), eq(items.externalId, item.externalId)));
    if (existing) return { ok: true, created: false, item: await viewOf(tx, existing) } as const;
    // A channel receives from approval until it is closed: under review and while closing it still exists.
    if (!receivingStatuses.includes(account.status)) {
      return {
        ok: false, code: 'refused', rule: cmd.policy.accounts.approvalRule,
        detail: `Items are received only on an approved account that is not closed; this one is ${account.status}.`,
      } as const;
    }

    const id = newId(now);
    const input = {
      kind: item.kind, direction: item.direction, platform: account.platform,
      rules: itemRulesOf(cmd.policy, account.platform as Platform),
    };
    const snapshot = startItem(input);
    const contentHash = await storeContent(tx, {
      orgId: cmd.orgId, itemId: id, role: 'content', at,
      body: { text: item.text, author: item.author, ...(item.url ? { url: item.url } : {}) },
    });
    const row: ItemRow = {
      id, orgId: cmd.orgId, accountId: item.accountId, externalId: item.externalId, kind: item.kind,
      direction: item.direction, receivedAt: receivedAt.toISOString(), machine: itemMachineVersion,
      status: itemStatus(snapshot), state: snapshot.value, context: snapshot.context, version: 1, contentHash,
      createdAt: at, updatedAt: at,
    };
    await tx.insert(items).values(row);
    await applyDeadlineChanges(tx, {
      orgId: cmd.orgId, itemId: id, receivedAt: row.receivedAt, policy: cmd.policy, at,
      changes: deadlineChanges({ type: 'RECEIVED' }, row),
    });
    await appendEvent(tx, {
      orgId: cmd.orgId, subject: 'item', subjectId: id, seq: 1, type: 'RECEIVED', actor: cmd.actor, at,
      machine: itemMachineVersion, from: null, to: snapshot.value,
      // The machine input travels in the first link, so replay needs nothing but the ledger.
      payload: {
        accountId: item.accountId, externalId: item.externalId, receivedAt: row.receivedAt, contentSha256: contentHash,
        input, ...(item.inReplyTo ? { inReplyTo: item.inReplyTo } : {}), ...(item.language ? { language: item.language } : {}),
      },
    });
    return { ok: true, created: true, item: await viewOf(tx, row) } as const;
  });
}

export async function viewOf(db: Db | Tx, row: ItemRow): Promise<ItemView> {
  return itemView(row, await readContent(db, row.contentHash), (await deadlinesOf(db, [row.id])).get(row.id) ?? []);
}

export async function findItem(db: Db | Tx, orgId: string, id: string): Promise<ItemRow | null> {
  const [row] = await db.select().from(items).where(and(eq(items.id, id), eq(items.orgId, orgId)));
  return row ?? null;
}

export interface ItemQuery {
  status?: string | undefined;
  accountId?: string | undefined;
  /** Only items with an unsettled deadline past due as of `now`. */
  overdue?: boolean | undefined;
  now: Date;
  limit: number;
  cursor?: string | undefined;
}

/** A page in creation order; the cursor is the last id of the page. */
export async function listItems(db: Db, orgId: string, query: ItemQuery) {
  const where: SQL[] = [eq(items.orgId, orgId)];
  if (query.overdue) where.push(isOverdue(query.now.toISOString()));
  if (query.status) where.push(eq(items.status, query.status));
  if (query.accountId) where.push(eq(items.accountId, query.accountId));
  if (query.cursor) where.push(gt(items.id, query.cursor));
  const rows = await db.select().from(items).where(and(...where)).orderBy(asc(items.id)).limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const hashes = page.map((row) => row.contentHash);
  const bodies = hashes.length ? await db.select().from(contents).where(inArray(contents.hash, hashes)) : [];
  const byHash = new Map(bodies.map((row) => [row.hash, row]));
  const deadlines = await deadlinesOf(db, page.map((row) => row.id));
  return {
    items: page.map((row) => itemView(row, byHash.get(row.contentHash) ?? null, deadlines.get(row.id) ?? [])),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
