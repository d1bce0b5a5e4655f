// The account routes (channels), snapshots and the public channel register as OpenAPI route definitions.
import { createRoute, z } from '@hono/zod-openapi';
import { accountEventSchema, profileSchema } from '../../machines/account.events.ts';
import { accountStatuses } from '../../machines/account.machine.ts';
import { platforms, snapshotFormats } from '../../machines/policy/policy.schema.ts';
import { accountChangesExamples, accountEventExamples, newAccountExamples } from './examples.ts';
import { ifMatchHeader } from './if-match.ts';
import { eventView, replayQuery, replaySchema } from './items.contract.ts';
import { columnText, errorResponses, idParam, isoInstant, json, jsonBody, problemResponse, webUrl } from './schemas.ts';

const person = z.object({ name: columnText.trim().min(1).max(200), email: z.email().max(320).optional() }).strict();
const text = columnText.trim().min(1).max(2_000);
const handle = columnText.trim().min(1).max(200);

export const newAccountSchema = z
  .object({
    platform: z.enum(platforms),
    handle,
    url: webUrl.optional(),
    purpose: text.optional(),
    audience: text.optional(),
    ownerUnit: text.optional(),
    responsible: person.optional(),
    substitute: person.optional(),
    admins: z.array(person).max(50).optional(),
    profile: profileSchema.optional(),
  })
  .strict()
  .openapi('NewAccount', { description: 'A channel decision (TI-1); incomplete proposals are refused at APPROVE' });

export const accountChangesSchema = z
  .object({
    handle: handle.optional(),
    url: webUrl.nullable().optional(),
    purpose: text.optional(),
    audience: text.optional(),
    ownerUnit: text.optional(),
    responsible: person.optional(),
    substitute: person.nullable().optional(),
    admins: z.array(person).max(50).optional(),
    profile: profileSchema.optional(),
  })
  .strict()
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), 'name at least one field to change')
  .openapi('AccountChanges', { description: 'AMEND: the registry fields to change; null removes the substitute or the address' });

const snapshotView = z.object({ sha256: z.string(), format: z.enum(snapshotFormats), takenAt: z.string(), final: z.boolean() });

export const accountSchema = z
  .object({
    id: z.string(),
    status: z.enum(accountStatuses),
    platform: z.string(),
    handle: z.string(),
    url: z.string().nullable(),
    purpose: z.string().nullable(),
    audience: z.string().nullable(),
    ownerUnit: z.string().nullable(),
    responsible: person.nullable(),
    substitute: person.nullable(),
    admins: z.array(person),
    profile: z.record(z.string(), z.boolean()),
    state: z.unknown(),
    version: z.number().int(),
    machine: z.string(),
    allowedEvents: z.array(z.string()),
    flags: z.object({
      review: z.object({ since: z.string(), lastActivityAt: z.string().nullable() }).nullable(),
      snapshotDue: z.object({ period: z.string(), startsAt: z.string() }).nullable(),
      adminsShort: z.boolean(),
      surge: z.object({ flaggedAt: z.string(), count: z.number().int() }).nullable(),
      lastMissedDay: z.string().nullable(),
      missedDays: z.number().int(),
    }),
    approvedAt: z.string().nullable(),
    lastSnapshot: snapshotView.nullable(),
    closing: z.object({ reason: z.string(), at: z.string() }).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Account');

const withEtag = { headers: z.object({ ETag: z.string() }) };
const writeResponses = {
  ...errorResponses,
  409: problemResponse('Not allowed in this state, or refused by a rule (see `rule`)'),
  412: problemResponse('If-Match does not match the current version'),
};

export const createAccountRoute = createRoute({
  method: 'post',
  path: '/v1/accounts',
  operationId: 'createAccount',
  tags: ['accounts'],
  description: 'Proposes a new official channel with its decision fields; an admin approves it later.',
  summary: 'Propose an account (admin)',
  request: { body: jsonBody(newAccountSchema, newAccountExamples) },
  responses: { 201: { ...json(accountSchema, 'Proposed'), ...withEtag }, ...errorResponses },
});

export const listAccountsRoute = createRoute({
  method: 'get',
  path: '/v1/accounts',
  operationId: 'listAccounts',
  tags: ['accounts'],
  description: 'Lists the organisation\'s channels in every state, optionally filtered by status.',
  summary: 'The organisation\'s accounts in every state',
  request: { query: z.object({ status: z.enum(accountStatuses).optional() }) },
  responses: { 200: json(z.object({ accounts: z.array(accountSchema) }), 'Accounts'), ...errorResponses },
});

export const getAccountRoute = createRoute({
  method: 'get',
  path: '/v1/accounts/{id}',
  operationId: 'getAccount',
  tags: ['accounts'],
  description: 'Returns one channel with its status and decision fields, and its version as the ETag.',
  summary: 'One account, with ETag "VERSION"',
  request: { params: idParam },
  responses: { 200: { ...json(accountSchema, 'The account'), ...withEtag }, ...errorResponses },
});

export const amendAccountRoute = createRoute({
  method: 'patch',
  path: '/v1/accounts/{id}',
  operationId: 'amendAccount',
  tags: ['accounts'],
  description: 'Amends a channel\'s registry entry (decision fields, administrators, profile checklist) under If-Match.',
  summary: 'AMEND the registry entry (admin): decision fields, administrators, profile checklist',
  request: { params: idParam, headers: z.object({ 'if-match': ifMatchHeader }), body: jsonBody(accountChangesSchema, accountChangesExamples) },
  responses: { 200: { ...json(accountSchema, 'The account after the change'), ...withEtag }, ...writeResponses },
});

export const accountEventRoute = createRoute({
  method: 'post',
  path: '/v1/accounts/{id}/events',
  operationId: 'postAccountEvent',
  tags: ['accounts'],
  description: 'Sends one lifecycle event to a channel, such as APPROVE, KEEP or CLOSE; the role allowed depends on the event type.',
  summary:
    'Send an event to an account: APPROVE (admin; TI-1, TI-4, profile checklist), KEEP and CLOSE (admin, officer; TI-5, AV-13), ' +
    'MONITORED (admin, officer; AV-6, TI-2), SNAPSHOT (admin, officer, integrator; AV-11, TI-12, UP-10), SURGE_CONSULTED (TI-8)',
  request: { params: idParam, headers: z.object({ 'if-match': ifMatchHeader }), body: jsonBody(accountEventSchema, accountEventExamples) },
  responses: { 200: { ...json(accountSchema, 'The account after the event'), ...withEtag }, ...writeResponses },
});

export const accountHistoryRoute = createRoute({
  method: 'get',
  path: '/v1/accounts/{id}/history',
  operationId: 'getAccountHistory',
  tags: ['accounts'],
  description: 'Returns the channel\'s recorded events in order, each with its hash-chain links.',
  summary: 'The account\'s events in order, with their hash-chain links',
  request: { params: idParam },
  responses: { 200: json(z.object({ events: z.array(eventView) }), 'The history'), ...errorResponses },
});

export const accountReplayRoute = createRoute({
  method: 'get',
  path: '/v1/accounts/{id}/replay',
  operationId: 'replayAccount',
  tags: ['accounts'],
  description: 'Replays the channel\'s recorded events through their machine versions as of an instant and compares the result with the stored state.',
  summary: 'Re-run the account\'s recorded events through their machine versions, as of `at` (default: now)',
  request: { params: idParam, query: replayQuery },
  responses: { 200: json(replaySchema, 'The replayed state'), ...errorResponses },
});

export const snapshotMediaTypes = { 'application/pdf': 'pdf', 'image/png': 'png' } as const;
export const maxSnapshotBytes = 20 * 1024 * 1024;

const storedSnapshot = z
  .object({ sha256: z.string(), format: z.enum(snapshotFormats), mediaType: z.string(), size: z.number().int(), uploadedAt: z.string() })
  .openapi('SnapshotFile');

export const uploadSnapshotRoute = createRoute({
  method: 'post',
  path: '/v1/accounts/{id}/snapshots',
  operationId: 'uploadSnapshot',
  tags: ['accounts'],
  description: 'Stores a PDF or PNG snapshot of the channel by its sha256 and records it as a SNAPSHOT event.',
  summary:
    'Upload a snapshot of the channel (PDF or PNG, at most 20 MiB; admin, officer, integrator). Stored by its sha256 and recorded as ' +
    'SNAPSHOT; a PDF declaring PDF/A-1 conformance in its XMP metadata is recorded as pdf/a-1 (TI-12). The same file again → 200, no new event.',
  request: {
    params: idParam,
    query: z.object({ takenAt: isoInstant.optional(), final: z.enum(['true', 'false']).optional() }),
    body: {
      required: true,
      content: {
        'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
  },
  responses: {
    201: json(z.object({ snapshot: storedSnapshot, account: accountSchema }), 'Stored and recorded'),
    200: json(z.object({ snapshot: storedSnapshot, account: accountSchema }), 'Already stored: nothing new recorded'),
    ...writeResponses,
    413: problemResponse('Larger than 20 MiB'),
    415: problemResponse('Not a PDF or PNG'),
  },
});

export const listSnapshotsRoute = createRoute({
  method: 'get',
  path: '/v1/accounts/{id}/snapshots',
  operationId: 'listSnapshots',
  tags: ['accounts'],
  description: 'Lists the snapshot files uploaded for the channel.',
  summary: 'The account\'s uploaded snapshot files',
  request: { params: idParam },
  responses: { 200: json(z.object({ snapshots: z.array(storedSnapshot) }), 'Snapshot files'), ...errorResponses },
});

export const getSnapshotRoute = createRoute({
  method: 'get',
  path: '/v1/accounts/{id}/snapshots/{sha256}',
  operationId: 'getSnapshot',
  tags: ['accounts'],
  description: 'Downloads one uploaded snapshot file exactly as it was uploaded; never cached.',
  summary: 'One uploaded snapshot file, as uploaded',
  request: {
    params: idParam.extend({
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256').openapi({ param: { name: 'sha256', in: 'path' } }),
    }),
  },
  responses: {
    200: { description: 'The file', content: { 'application/pdf': { schema: z.string() }, 'image/png': { schema: z.string() } } },
    ...errorResponses,
  },
});

const channelSchema = z.object({
  id: z.string(),
  platform: z.string(),
  handle: z.string(),
  url: z.string().nullable(),
  purpose: z.string().nullable(),
  audience: z.string().nullable(),
  ownerUnit: z.string().nullable(),
  responsible: z.object({ name: z.string() }).nullable(),
});

export const channelsRoute = createRoute({
  method: 'get',
  path: '/v1/orgs/{slug}/channels',
  operationId: 'getChannelRegister',
  tags: ['public'],
  description: 'Returns the public register of an organisation\'s active channels, without e-mail addresses and without a key.',
  summary:
    'The public channel register (TI-3, UP-6, AV-2): active accounts, no e-mail addresses. No key needed. ' +
    'JSON by default; HTML for `Accept: text/html` or `?format=html`.',
  security: [],
  request: {
    params: z.object({ slug: z.string().min(1).max(63).openapi({ param: { name: 'slug', in: 'path' } }) }),
    query: z.object({ format: z.enum(['json', 'html']).optional() }),
  },
  responses: {
    200: {
      description: 'The register',
      content: {
        'application/json': {
          schema: z.object({ organisation: z.object({ slug: z.string(), name: z.string() }), channels: z.array(channelSchema) }),
        },
        'text/html': { schema: z.string() },
      },
    },
    404: problemResponse('No such organisation'),
    400: problemResponse('Invalid input'),
    429: problemResponse('Too many requests from this client address; see Retry-After'),
  },
});
