// Items: ingest (the first link of an item's history) and the reads.
import { and, eq } from 'drizzle-orm';
import type { Direction, ItemKind } from '../../machines/item.v1.machine.ts';
import { newestVersion } from '../../machines/registry.ts';
import { accountStatusesTagged } from '../../machines/account.step.ts';
import type { Db, Store, Tx } from '../client.ts';
import { readContent, storeContent } from './contents.ts';
import { deadlinesOf, deadlineViews } from './deadlines.ts';
import { newId } from '../ids.ts';
import { itemPage, type ItemFilter } from './item-page.ts';
import { itemPageJson } from './item-page-json.ts';
import { itemView, type ItemRow, type ItemView } from './item-view.ts';
import type { Actor } from '../ledger/ledger.ts';
import { startSubject } from '../write/apply-event.ts';
import { keyRevoked, notFound, type Failure } from '../write/outcome.ts';
import { items } from '../schema.ts';
import { withWholeContexts } from './item-rules.ts';
import type { WriteBatch } from '../write/write-batch.ts';

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

const receivingStatuses: readonly string[] = accountStatusesTagged('receiving');

export async function ingestItem(
  store: Store,
  // checkKey: as for item events (apply-item-event.ts), the key is checked in the write's transaction.
  cmd: { orgId: string; actor: Actor; item: NewItem; now: Date; checkKey?: boolean },
): Promise<{ ok: true; created: boolean; item: ItemView } | Failure> {
  if (store.worker) return store.worker.run('ingestItem', cmd);
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
  const keyId = cmd.actor.keyId;
  return store.writes.run(async (_tx, batch) => {
    if (cmd.checkKey && keyId && !(await batch.keyLive(keyId))) return keyRevoked;
    const account = await batch.account(cmd.orgId, item.accountId);
    if (!account) return notFound('Account');
    const policy = await batch.policy(cmd.orgId);
    const existing = await batch.itemByExternal(item.accountId, item.externalId);
    if (existing) return { ok: true, created: false, item: await viewInBatch(batch, existing) } as const;
    // A channel receives from approval until it is closed: under review and while closing it still exists.
    if (!receivingStatuses.includes(account.status)) {
      return {
        ok: false, code: 'refused', rule: policy.accounts.approvalRule,
        detail: `Items are received only on an approved account that is not closed; this one is ${account.status}.`,
      } as const;
    }

    const id = newId(now);
    // New items start at the newest item machine, with the rules it freezes from today's policy.
    const input = newestVersion.item.inputOf({ kind: item.kind, direction: item.direction, platform: account.platform }, policy);
    const contentHash = storeContent(batch, {
      orgId: cmd.orgId, itemId: id, role: 'content', at,
      body: { text: item.text, author: item.author, ...(item.url ? { url: item.url } : {}) },
    });
    const receivedAtText = receivedAt.toISOString();
    const row = await startSubject<ItemRow>(batch.tx, batch, {
      subject: 'item', actor: cmd.actor, type: 'RECEIVED', input, now,
      row: {
        id, orgId: cmd.orgId, accountId: item.accountId, externalId: item.externalId, kind: item.kind,
        direction: item.direction, receivedAt: receivedAtText, contentHash, createdAt: at,
      },
      payload: {
        accountId: item.accountId, externalId: item.externalId, receivedAt: receivedAtText, contentSha256: contentHash,
        ...(item.inReplyTo ? { inReplyTo: item.inReplyTo } : {}), ...(item.language ? { language: item.language } : {}),
      },
    });
    return { ok: true, created: true, item: await viewInBatch(batch, row) } as const;
  }, {
    direct: false,
    prefetch: { externals: [{ accountId: item.accountId, externalId: item.externalId }], keyIds: cmd.checkKey && keyId ? [keyId] : [] },
  });
}

/** The item as a write command answers it: content and deadlines as its batch holds them. */
export async function viewInBatch(batch: WriteBatch, row: ItemRow): Promise<ItemView> {
  return itemView(row, await batch.content(row.contentHash), deadlineViews(await batch.deadlines(row.id)));
}

export async function viewOf(db: Db, row: ItemRow): Promise<ItemView> {
  return itemView(row, await readContent(db, row.contentHash), (await deadlinesOf(db, [row.id])).get(row.id) ?? []);
}

/** The item's row, its context whole (item-rules.ts). */
export async function findItem(db: Db | Tx, orgId: string, id: string): Promise<ItemRow | null> {
  const [row] = await withWholeContexts(db, await db.select().from(items).where(and(eq(items.id, id), eq(items.orgId, orgId))));
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
  const page = await itemPage(db, filterOf(orgId, query), query.limit);
  return { items: page.views, nextCursor: page.more ? (page.views.at(-1)?.id ?? null) : null };
}

/** listItems's page as the API answers it: JSON.stringify of that page, written without its views. */
export async function listItemsJson(db: Db, orgId: string, query: ItemQuery): Promise<string> {
  const page = await itemPageJson(db, filterOf(orgId, query), query.limit);
  return `{"items":${page.json},"nextCursor":${JSON.stringify(page.lastId)}}`;
}

function filterOf(orgId: string, query: ItemQuery): ItemFilter {
  return {
    orgId, status: query.status || undefined, accountId: query.accountId || undefined,
    overdueAt: query.overdue ? query.now.toISOString() : undefined, after: query.cursor || undefined,
  };
}
