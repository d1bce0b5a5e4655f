// The account routes (channels) and the public channel register as OpenAPI route definitions.
import { createRoute, z } from '@hono/zod-openapi';
import { accountStatuses } from '../../machines/account.machine.ts';
import { platforms } from '../../machines/policy/policy.schema.ts';
import { eventView } from './items.contract.ts';
import { errorResponses, idParam, json, jsonBody, problemResponse, webUrl } from './schemas.ts';

const person = z.object({ name: z.string().trim().min(1).max(200), email: z.email().max(320).optional() }).strict();
const text = z.string().trim().min(1).max(2_000);

export const newAccountSchema = z
  .object({
    platform: z.enum(platforms),
    handle: z.string().trim().min(1).max(200),
    url: webUrl.optional(),
    purpose: text.optional(),
    audience: text.optional(),
    ownerUnit: text.optional(),
    responsible: person.optional(),
    substitute: person.optional(),
    admins: z.array(person).max(50).optional(),
  })
  .strict()
  .openapi('NewAccount', { description: 'A channel decision (TI-1); incomplete proposals are refused at APPROVE' });

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
    version: z.number().int(),
    machine: z.string(),
    allowedEvents: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Account');

export const accountEventSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('APPROVE') }).strict()]);

export const createAccountRoute = createRoute({
  method: 'post',
  path: '/v1/accounts',
  summary: 'Propose an account (admin)',
  request: { body: jsonBody(newAccountSchema) },
  responses: { 201: json(accountSchema, 'Proposed'), ...errorResponses },
});

export const listAccountsRoute = createRoute({
  method: 'get',
  path: '/v1/accounts',
  summary: 'The organisation\'s accounts in every state',
  responses: { 200: json(z.object({ accounts: z.array(accountSchema) }), 'Accounts'), ...errorResponses },
});

export const getAccountRoute = createRoute({
  method: 'get',
  path: '/v1/accounts/{id}',
  summary: 'One account',
  request: { params: idParam },
  responses: { 200: json(accountSchema, 'The account'), ...errorResponses },
});

export const accountEventRoute = createRoute({
  method: 'post',
  path: '/v1/accounts/{id}/events',
  summary: 'Send an event to an account (admin): APPROVE (TI-1, TI-4)',
  request: { params: idParam, body: jsonBody(accountEventSchema) },
  responses: {
    200: json(accountSchema, 'The account after the event'),
    ...errorResponses,
    409: problemResponse('Not allowed in this state, or refused by a rule (see `rule`)'),
  },
});

export const accountHistoryRoute = createRoute({
  method: 'get',
  path: '/v1/accounts/{id}/history',
  summary: 'The account\'s events in order, with their hash-chain links',
  request: { params: idParam },
  responses: { 200: json(z.object({ events: z.array(eventView) }), 'The history'), ...errorResponses },
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
  summary: 'The public channel register (TI-3, UP-6, AV-2): active accounts, no e-mail addresses. No key needed.',
  security: [],
  request: { params: z.object({ slug: z.string().min(1).max(63).openapi({ param: { name: 'slug', in: 'path' } }) }) },
  responses: {
    200: json(
      z.object({ organisation: z.object({ slug: z.string(), name: z.string() }), channels: z.array(channelSchema) }),
      'The register',
    ),
    404: problemResponse('No such organisation'),
    400: problemResponse('Invalid input'),
  },
});
