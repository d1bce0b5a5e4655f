// Deadlines over HTTP: the organisation's deadlines by due instant, filtered by status and kind.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { decodeCursor, listDeadlines } from '../../db/items/deadlines.ts';
import { deadlineKinds, deadlineStatuses } from '../../machines/item.deadlines.ts';
import type { AppEnv } from '../env.ts';
import { problem } from '../problem.ts';
import { validationHook } from '../validation.ts';
import { errorResponses, json } from './schemas.ts';

export const listDeadlinesRoute = createRoute({
  method: 'get',
  path: '/v1/deadlines',
  operationId: 'listDeadlines',
  tags: ['items'],
  description: 'Lists the organisation\'s deadlines by due instant, filtered by status and kind, a page at a time.',
  summary: 'Deadlines by due instant, e.g. ?status=breached',
  request: {
    query: z.object({
      status: z.enum(deadlineStatuses).optional(),
      kind: z.enum(deadlineKinds).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().min(1).max(500).optional(),
    }),
  },
  responses: {
    200: json(
      z.object({
        deadlines: z.array(z.object({
          itemId: z.string(), kind: z.string(), dueAt: z.string(), status: z.string(),
          breachedAt: z.string().nullable(), settledAt: z.string().nullable(),
        })),
        nextCursor: z.string().nullable(),
      }),
      'A page of deadlines',
    ),
    ...errorResponses,
  },
});

export const deadlinesRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

deadlinesRouter.openapi(listDeadlinesRoute, async (c) => {
  const query = c.req.valid('query');
  if (query.cursor && !decodeCursor(query.cursor)) {
    return problem(c, 400, 'The cursor is not one this API issued.', { errors: [{ path: 'cursor', message: 'invalid' }] });
  }
  return c.json(await listDeadlines(c.var.deps.store.db, c.var.holder.orgId, query), 200);
});
