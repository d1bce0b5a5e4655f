// The policy routes as OpenAPI route definitions: the policy in force, its versions, and a change
// (admin, If-Match required, with a dry run). The policy's schema is the one machines/ validates with.
import { createRoute, z } from '@hono/zod-openapi';
import { policySchema } from '../../machines/policy/policy.schema.ts';
import { presetNames } from '../../machines/policy/presets.ts';
import { ifMatchHeader } from './if-match.ts';
import { errorResponses, json, jsonBody, problemResponse } from './schemas.ts';
import { policyExamples } from './examples.ts';

/** An organisation's policy: its own rules, country and zone, deadline windows, what must be registered, removal steps, thinning, account rules. */
export const policyDocSchema = policySchema;

const presetInputSchema = z
  .object({
    preset: z.enum(presetNames as [string, ...string[]]),
    overrides: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Policy fields to change: objects merge, windows, lists and accounts.profile replace' }),
  })
  .strict()
  .openapi('PolicyPreset');

export const policyInputSchema = z.union([presetInputSchema, policyDocSchema]).openapi('PolicyInput', {
  description: 'A whole policy, or {"preset","overrides"}',
});

export const currentPolicySchema = z
  .object({ version: z.number().int(), effectiveFrom: z.string(), policy: policyDocSchema })
  .openapi('PolicyVersion');

const versionSummarySchema = z.object({
  version: z.number().int(),
  effectiveFrom: z.string(),
  hash: z.string().openapi({ description: 'sha256 of the policy\'s canonical JSON' }),
  changedBy: z.object({ keyId: z.string().nullable(), role: z.string() }),
  source: z.string().openapi({ description: 'The preset it came from, or "policy" when given whole' }),
});

export const impactSchema = z
  .object({
    deadlines: z.object({
      count: z.number().int(),
      windowsChanged: z.array(z.string()),
      examples: z.array(z.object({ itemId: z.string(), kind: z.string(), dueAt: z.string(), dueIfOpenedNow: z.string() })),
    }),
    accounts: z.object({
      count: z.number().int(),
      examples: z.array(z.object({ accountId: z.string(), handle: z.string(), reason: z.string(), rule: z.string() })),
    }),
    items: z.object({ count: z.number().int(), examples: z.array(z.object({ itemId: z.string(), status: z.string(), rule: z.string() })) }),
  })
  .openapi('PolicyImpact', { description: 'What the change does to live work: open deadlines keep their due instant; counts are whole, examples at most 100' });

const withEtag = { headers: z.object({ ETag: z.string() }) };

export const getPolicyRoute = createRoute({
  method: 'get',
  path: '/v1/policy',
  operationId: 'getPolicy',
  tags: ['policy'],
  summary: 'The policy in force, with ETag "VERSION"',
  description: 'The organisation\'s current policy version, the instant it took effect, and the policy itself.',
  responses: { 200: { ...json(currentPolicySchema, 'The policy in force'), ...withEtag }, ...errorResponses },
});

export const listPolicyVersionsRoute = createRoute({
  method: 'get',
  path: '/v1/policy/versions',
  operationId: 'listPolicyVersions',
  tags: ['policy'],
  summary: 'Every version of the policy, with who set it and when',
  description: 'Every policy version in order, each with its hash, the key and role that set it, and the instant it took effect.',
  responses: { 200: json(z.object({ versions: z.array(versionSummarySchema) }), 'The versions, oldest first'), ...errorResponses },
});

export const putPolicyRoute = createRoute({
  method: 'put',
  path: '/v1/policy',
  operationId: 'putPolicy',
  tags: ['policy'],
  summary: 'Change the policy (admin); If-Match required; ?dryRun=true only reports',
  description: 'Makes the body the next policy version from now on, or with dryRun=true answers what it would do to live work without writing.',
  request: {
    query: z.object({ dryRun: z.enum(['true', 'false']).optional().openapi({ description: 'true: report the change\'s impact, write nothing' }) }),
    headers: z.object({ 'if-match': ifMatchHeader }),
    body: jsonBody(policyInputSchema, policyExamples),
  },
  responses: {
    200: { ...json(currentPolicySchema.extend({ dryRun: z.boolean(), impact: impactSchema }), 'The new version (or, dry run, the one it would be) and its impact'), ...withEtag },
    ...errorResponses,
    412: problemResponse('If-Match does not match the policy version in force'),
    428: problemResponse('If-Match is required'),
  },
});
