// Items over HTTP: ingest, read, list, events (the write path), history and replay.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { canonicalJson, sha256 } from '../../db/ledger/hashing.ts';
import type { ItemView } from '../../db/items/item-view.ts';
import { findItem, ingestItem, listItemsJson, viewOf } from '../../db/items/items.ts';
import { subjectHistory } from '../../db/ledger/ledger.ts';
import { eventContentsOf, repliesOf, wordsOf } from '../../db/items/event-words.ts';
import { latestCheckpoint } from '../../db/ledger/checkpoints.ts';
import { inclusionProofs } from '../../db/ledger/proofs.ts';
import { replayItem } from '../../db/ledger/replay.ts';
import { isItemEventType, itemEventRefusal, roleRefusal } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { failureResponse, problem } from '../problem.ts';
import { validationHook } from '../validation.ts';
import { malformedIfMatch, parseIfMatch } from './if-match.ts';
import {
  getItemRoute, historyRoute, ingestRoute, itemEventRoute, listItemsRoute, replayRoute,
} from './items.contract.ts';

export const itemsRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

function sendItem<S extends 200 | 201>(c: Context<AppEnv>, item: ItemView, status: S, extraHeaders: Record<string, string> = {}) {
  return c.json(item, status, { ETag: `"${item.version}"`, ...extraHeaders });
}

itemsRouter.openapi(ingestRoute, async (c) => {
  const refused = roleRefusal(c, ['integrator']);
  if (refused) return refused;
  const { holder, deps } = c.var;
  const result = await ingestItem(deps.store, {
    orgId: holder.orgId, actor: { keyId: holder.keyId, role: holder.role }, item: c.req.valid('json'),
    now: deps.clock(), checkKey: true,
  });
  if (!result.ok) return failureResponse(c, result);
  return result.created ? sendItem(c, result.item, 201) : sendItem(c, result.item, 200);
});

// The page comes as the JSON text c.json would send (same bytes, same Content-Type), written
// without views (db/items/item-page-json.ts), and read on the list reader's thread when the
// server has one (db/items/list-reader.ts). Typed `never` as the contract types a JSON body by its value.
itemsRouter.openapi(listItemsRoute, async (c) => {
  const valid = c.req.valid('query');
  const query = { ...valid, overdue: valid.overdue === 'true', now: c.var.deps.clock() };
  const reader = c.var.deps.listReader;
  const page = reader?.alive
    ? await reader.page(c.var.holder.orgId, query)
    : await listItemsJson(c.var.deps.store.db, c.var.holder.orgId, query);
  return c.body(page as string | Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json' }) as never;
});

itemsRouter.openapi(getItemRoute, async (c) => {
  const { db } = c.var.deps.store;
  const row = await findItem(db, c.var.holder.orgId, c.req.valid('param').id);
  if (!row) return problem(c, 404, 'Item not found.');
  const [view, events, kept] = await Promise.all([
    viewOf(db, row), subjectHistory(db, c.var.holder.orgId, row.id), eventContentsOf(db, c.var.holder.orgId, [row.id]),
  ]);
  const item = { ...view, replies: repliesOf(events, kept) };
  return c.json(item, 200, { ETag: `"${item.version}"` });
});

// Who may send an item event depends on its type alone, so the role gate answers before the
// event's fields are validated: a client's system-only event gets 403 whatever else it holds.
// A body that is not JSON, or names no known type, goes on to validation and its 400.
itemsRouter.use('/v1/items/:id/events', async (c, next) => {
  if (c.req.method !== 'POST') return next();
  const type = await c.req.json().then((body: unknown) => (body !== null && typeof body === 'object' ? (body as { type?: unknown }).type : undefined), () => undefined);
  const refusal = isItemEventType(type) ? itemEventRefusal(c.var.holder.role, type) : null;
  if (refusal) return problem(c, 403, refusal);
  await next();
});

itemsRouter.openapi(itemEventRoute, async (c) => {
  const { holder, deps } = c.var;
  const event = c.req.valid('json');
  const headers = c.req.valid('header');
  const ifMatch = parseIfMatch(headers['if-match']);
  if (ifMatch === 'invalid') return malformedIfMatch(c);
  const key = headers['idempotency-key'];
  if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
    return problem(c, 400, 'Idempotency-Key must be 1–255 visible ASCII characters.', {
      errors: [{ path: 'headers.idempotency-key', message: 'invalid' }],
    });
  }
  const itemId = c.req.valid('param').id;
  const result = await applyItemEvent(deps.store, {
    orgId: holder.orgId, itemId, actor: { keyId: holder.keyId, role: holder.role }, event, ifMatch,
    idempotency: key ? { key, fingerprint: sha256(canonicalJson({ itemId, event, ifMatch })) } : null,
    now: deps.clock(), checkKey: true,
  });
  if (!result.ok) return failureResponse(c, result);
  return sendItem(c, result.item, 200, result.replayed ? { 'Idempotent-Replayed': 'true' } : {});
});

itemsRouter.openapi(historyRoute, async (c) => {
  const { db } = c.var.deps.store;
  const id = c.req.valid('param').id;
  if (!(await findItem(db, c.var.holder.orgId, id))) return problem(c, 404, 'Item not found.');
  const [events, kept] = await Promise.all([subjectHistory(db, c.var.holder.orgId, id), eventContentsOf(db, c.var.holder.orgId, [id])]);
  const entries = events.map((event) => ({ ...historyEntry(event), ...keptWords(event, kept) }));
  if (c.req.valid('query').proof !== 'true') return c.json({ events: entries }, 200);
  // Against the latest checkpoint: an auditor checks the proof with the root it signed.
  const checkpoint = await latestCheckpoint(db, c.var.holder.orgId);
  const proofs = checkpoint ? await inclusionProofs(c.var.deps.store, c.var.holder.orgId, checkpoint.size, events) : events.map(() => null);
  return c.json({ events: entries.map((entry, i) => ({ ...entry, proof: proofs[i]! })), checkpoint }, 200);
});

itemsRouter.openapi(replayRoute, async (c) => {
  const { at } = c.req.valid('query');
  const result = await replayItem(c.var.deps.store.db, c.var.holder.orgId, c.req.valid('param').id, at ? new Date(at) : c.var.deps.clock());
  if (!result) return problem(c, 404, 'Item not found.');
  return c.json(result, 200);
});

/** The fields an event kept apart, each its text or null once thinned; nothing for an event without. */
function keptWords(event: Parameters<typeof wordsOf>[0], kept: Parameters<typeof wordsOf>[1]) {
  const words = wordsOf(event, kept);
  return Object.fromEntries((words?.kept ?? []).map((field) => [field, words![field]])) as { text?: string | null; note?: string | null };
}

export function historyEntry(event: Awaited<ReturnType<typeof subjectHistory>>[number]) {
  return {
    seq: event.seq, type: event.type, actor: event.actor, at: event.at, machine: event.machine,
    from: event.from, to: event.to, payload: event.payload, prevHash: event.prevHash, hash: event.hash,
  };
}
