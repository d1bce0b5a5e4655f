// Shared contract pieces: the problem body, headers and response shapes for the OpenAPI document.
import { z } from '@hono/zod-openapi';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    allowedEvents: z.array(z.string()).optional(),
    rule: z.string().optional().openapi({ description: 'The rule id from RULES.md that refused the step' }),
  })
  .openapi('Problem');

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

export const errorResponses = {
  400: problemResponse('Invalid input'),
  401: problemResponse('No or bad API key'),
  403: problemResponse('The key\'s role may not do this'),
  404: problemResponse('Not found (or another organisation\'s)'),
  413: problemResponse('Body larger than 1 MiB'),
  415: problemResponse('Body is not JSON'),
  429: problemResponse('Too many requests with this key; see Retry-After'),
};

export const idParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });

/**
 * Text kept in a column of its own. SQLite stores U+0000 but its text functions and the driver
 * read the value back cut at it, so such a value would not be found again (found by the fuzz test).
 */
export const columnText = z.string().regex(/^[^\u0000]*$/, 'may not contain U+0000 (NUL)');

export const isoInstant = z.iso.datetime({ offset: true });

/** A link someone may click in a page: http or https only. */
export const webUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(2_000);

/** The cursor of a page by id: an id this API issued. */
export const idCursor = z.uuid().openapi({ description: 'nextCursor of the previous page' });

/** A required JSON body; `examples` are shown by /docs beside the schema. */
export const jsonBody = <T extends z.ZodType>(schema: T, examples?: Record<string, { summary: string; value: Record<string, unknown> }>) => ({
  required: true,
  content: { 'application/json': { schema, ...(examples ? { examples } : {}) } },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
