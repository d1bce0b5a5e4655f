// Audit over HTTP: ledger verification of the key's own organisation.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listThinningDecisions } from '../../db/items/thinning.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { roleRefusal } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { validationHook } from '../validation.ts';
import { errorResponses, json, idCursor } from './schemas.ts';

export const verifyRoute = createRoute({
  method: 'get',
  path: '/v1/audit/verify',
  operationId: 'verifyLedger',
  tags: ['audit'],
  description: 'Verifies the organisation\'s hash-chained ledger and reports every break found.',
  summary: 'Verify the organisation\'s hash-chained ledger (auditor, admin)',
  responses: {
    200: json(
      z.object({
        ok: z.boolean(),
        events: z.number().int(),
        breaks: z.array(z.object({ itemId: z.string().nullable(), seq: z.number().int().nullable(), reason: z.string() })),
      }),
      'The verification report',
    ),
    ...errorResponses,
  },
});

export const auditRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

auditRouter.openapi(verifyRoute, async (c) => {
  const refused = roleRefusal(c, ['auditor', 'admin']);
  if (refused) return refused;
  return c.json(await verifyLedger(c.var.deps.store.db, c.var.holder.orgId), 200);
});

export const thinningRoute = createRoute({
  method: 'get',
  path: '/v1/audit/thinning',
  operationId: 'listThinningDecisions',
  tags: ['audit'],
  description: 'Lists thinning decision records, newest first, with the rule and job that made each one.',
  summary: 'Thinning decision records, newest first: when, under which rule, which items, by which job (auditor, admin)',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: idCursor.optional(),
    }),
  },
  responses: {
    200: json(
      z.object({
        decisions: z.array(z.object({
          id: z.string(), decidedAt: z.string(), rule: z.string(), preset: z.string(), job: z.string(),
          itemIds: z.array(z.string()), reason: z.string(),
        })),
        nextCursor: z.string().nullable(),
      }),
      'A page of decisions',
    ),
    ...errorResponses,
  },
});

auditRouter.openapi(thinningRoute, async (c) => {
  const refused = roleRefusal(c, ['auditor', 'admin']);
  if (refused) return refused;
  const { limit, cursor } = c.req.valid('query');
  return c.json(await listThinningDecisions(c.var.deps.store.db, c.var.holder.orgId, limit, cursor), 200);
});
