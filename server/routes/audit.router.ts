// Audit over HTTP: ledger verification of the key's own organisation.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { verifyLedger } from '../../db/verify.ts';
import { roleRefusal } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { validationHook } from '../validation.ts';
import { errorResponses, json } from './schemas.ts';

export const verifyRoute = createRoute({
  method: 'get',
  path: '/v1/audit/verify',
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
