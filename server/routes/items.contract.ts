// The items routes of API.md as OpenAPI route definitions; the zod schemas type the handlers.
import { createRoute, z } from '@hono/zod-openapi';
import { decisionsV2, itemV2EventSchema } from '../../machines/item.events.ts';
import { directions, itemKinds } from '../../machines/item.v1.machine.ts';
import { itemStatuses } from '../../machines/item.step.ts';
import { itemEventExamples, newItemExamples } from './examples.ts';
import { ifMatchHeader } from './if-match.ts';
import { checkpointView, inclusionProofView } from './ledger.contract.ts';
import { columnText, errorResponses, idParam, isoInstant, json, jsonBody, problemResponse, webUrl, idCursor } from './schemas.ts';

export const newItemSchema = z
  .object({
    accountId: z.string().min(1).max(64),
    externalId: columnText.min(1).max(200),
    kind: z.enum(itemKinds),
    direction: z.enum(directions),
    author: z.object({ handle: z.string().min(1).max(200), name: z.string().min(1).max(200).optional() }).strict(),
    text: z.string().max(100_000),
    url: webUrl.optional(),
    receivedAt: isoInstant.optional(),
    inReplyTo: z.string().min(1).max(200).optional(),
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag').optional(),
  })
  .strict()
  .openapi('NewItem');

const eventView = z.object({
  seq: z.number().int(),
  type: z.string(),
  actor: z.object({ keyId: z.string().nullable(), role: z.string() }),
  at: z.string(),
  machine: z.string(),
  from: z.unknown(),
  to: z.unknown(),
  payload: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

/** An item's event: the ledger link, and the words it kept apart where it has some (null once thinned). */
const itemEventView = eventView.extend({
  text: z.string().nullable().optional().openapi({ description: 'Where the event has a text: the text, or null once thinned' }),
  note: z.string().nullable().optional().openapi({ description: 'Where the event has a note: the note, or null once thinned' }),
});

export const itemSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    externalId: z.string(),
    kind: z.enum(itemKinds),
    direction: z.enum(directions),
    status: z.enum(itemStatuses),
    state: z.unknown().openapi({ description: 'The machine\'s own state value' }),
    version: z.number().int(),
    machine: z.string().openapi({ description: 'The machine version the item steps under, e.g. item@2' }),
    receivedAt: z.string(),
    allowedEvents: z.array(z.string()),
    deadlines: z.array(z.object({ kind: z.string(), dueAt: z.string(), status: z.string() })),
    assessment: z
      .object({ decision: z.enum(decisionsV2), categories: z.array(z.string()), registration: z.string().nullable() })
      .nullable(),
    registration: z.object({ number: z.string(), caseRef: z.string().nullable() }).nullable(),
    hold: z.object({ reason: z.string() }).nullable(),
    evidenceCaptured: z.boolean(),
    proposedRegistration: z.enum(['required', 'not_required']).nullable().openapi({ description: 'AV-12: the registration the policy proposes for this kind; the officer decides' }),
    content: z.object({ text: z.string(), author: z.unknown(), url: z.string().nullable() }).nullable(),
    contentSha256: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Item');

/** The municipality's own words on the item, in the order recorded; text and note are null once thinned. */
export const replySchema = z
  .object({
    seq: z.number().int(),
    type: z.string().openapi({ description: 'ANSWER, ACKNOWLEDGE, NOTIFY_AUTHOR, REFER, FORWARD, CORRECT or ASSESS' }),
    at: z.string(),
    actor: z.object({ keyId: z.string().nullable(), role: z.string() }),
    text: z.string().nullable().openapi({ description: 'The reply, message or corrected text; null when the event has none or once thinned' }),
    note: z.string().nullable().openapi({ description: 'An assessment\'s or a correction\'s note; null when none or once thinned' }),
    to: z.string().nullable().openapi({ description: 'REFER, FORWARD: who the item went to' }),
    erased: z.boolean().openapi({ description: 'The event\'s text was erased by thinning' }),
  })
  .openapi('Reply');

export const itemWithRepliesSchema = itemSchema
  .extend({ replies: z.array(replySchema).openapi({ description: 'The municipality\'s own words on the item, until thinned' }) })
  .openapi('ItemWithReplies');

const withEtag = { headers: z.object({ ETag: z.string() }) };

export const ingestRoute = createRoute({
  method: 'post',
  path: '/v1/items',
  operationId: 'ingestItem',
  tags: ['items'],
  description: 'Receives an item from a channel; the same accountId and externalId again answers 200 with the item already received.',
  summary: 'Receive an item (integrator). The same accountId + externalId again answers 200 with the same item.',
  request: { body: jsonBody(newItemSchema, newItemExamples) },
  responses: {
    201: { ...json(itemSchema, 'Created'), ...withEtag },
    200: { ...json(itemSchema, 'Already received'), ...withEtag },
    ...errorResponses,
    409: problemResponse('The account is not active'),
  },
});

export const listItemsRoute = createRoute({
  method: 'get',
  path: '/v1/items',
  operationId: 'listItems',
  tags: ['items'],
  description: 'Lists the organisation\'s items in creation order, filtered by status, account and overdue deadlines, a page at a time.',
  summary: 'List items in creation order, filtered and paged',
  request: {
    query: z.object({
      status: z.enum(itemStatuses).optional(),
      accountId: z.string().min(1).max(64).optional(),
      overdue: z.enum(['true', 'false']).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: idCursor.optional(),
    }),
  },
  responses: {
    200: json(z.object({ items: z.array(itemSchema), nextCursor: z.string().nullable() }), 'A page of items'),
    ...errorResponses,
  },
});

export const getItemRoute = createRoute({
  method: 'get',
  path: '/v1/items/{id}',
  operationId: 'getItem',
  tags: ['items'],
  description: 'Returns one item with its state, allowed events, deadlines and content, and its version as the ETag.',
  summary: 'One item, with ETag "VERSION"',
  request: { params: idParam },
  responses: { 200: { ...json(itemWithRepliesSchema, 'The item, with the words recorded on it'), ...withEtag }, ...errorResponses },
});

export const itemEventRoute = createRoute({
  method: 'post',
  path: '/v1/items/{id}/events',
  operationId: 'postItemEvent',
  tags: ['items'],
  description: 'Sends one lifecycle event to an item; the role allowed depends on the event type, and If-Match and Idempotency-Key are honoured.',
  summary: 'Send an event to an item (role per event type)',
  request: {
    params: idParam,
    headers: z.object({
      'if-match': ifMatchHeader,
      'idempotency-key': z.string().max(255).optional().openapi({ description: 'Applied once; a retry gets the same response' }),
    }),
    // Every event of every item machine version; the item's own version then checks it (machines/registry.ts).
    body: jsonBody(itemV2EventSchema, itemEventExamples),
  },
  responses: {
    200: { ...json(itemSchema, 'The item after the event'), ...withEtag },
    ...errorResponses,
    409: problemResponse('Not allowed in this state, or refused by a rule (see `rule`)'),
    412: problemResponse('If-Match does not match the current version'),
    422: problemResponse('Idempotency-Key reused with a different request'),
  },
});

export const historyRoute = createRoute({
  method: 'get',
  path: '/v1/items/{id}/history',
  operationId: 'getItemHistory',
  tags: ['items'],
  description: 'Returns the item\'s recorded events in order, each with its hash-chain links.',
  summary: 'The item\'s events in order, with their hash-chain links',
  request: {
    params: idParam,
    query: z.object({
      proof: z.enum(['true', 'false']).optional().openapi({ description: 'true: each event with its inclusion proof against the latest checkpoint' }),
    }),
  },
  responses: {
    200: json(
      z.object({
        events: z.array(itemEventView.extend({
          proof: inclusionProofView.nullable().optional().openapi({ description: 'With ?proof=true; null for an event after the latest checkpoint' }),
        })),
        checkpoint: checkpointView.nullable().optional().openapi({ description: 'With ?proof=true: the checkpoint the proofs are against' }),
      }),
      'The history',
    ),
    ...errorResponses,
  },
});

/** What replay answers, for items and accounts alike. */
export const replaySchema = z
  .object({
    asOf: z.string(), eventsApplied: z.number().int(), state: z.unknown(), status: z.string().nullable(),
    matchesStored: z.boolean(), problem: z.string().optional(),
  })
  .openapi('Replay');

export const replayQuery = z.object({ at: isoInstant.optional() });

export const replayRoute = createRoute({
  method: 'get',
  path: '/v1/items/{id}/replay',
  operationId: 'replayItem',
  tags: ['items'],
  description: 'Replays the item\'s recorded events through their machine versions as of an instant and compares the result with the stored state.',
  summary: 'Re-run the recorded events through their machine versions, as of `at` (default: now)',
  request: { params: idParam, query: replayQuery },
  responses: { 200: json(replaySchema, 'The replayed state'), ...errorResponses },
});

export { eventView };
