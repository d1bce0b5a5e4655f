// The request bodies the references validate as the engine does, and their 400. The ingest body
// is server/routes/items.contract.ts's newItemSchema in plain zod: that module loads
// @hono/zod-openapi and the product's contract, which the references stay without.
import type { Context } from 'hono';
import { z } from 'zod';

const columnText = z.string().regex(/^[^\u0000]*$/, 'may not contain U+0000 (NUL)');
export const newItemSchema = z
  .object({
    accountId: z.string().min(1).max(64),
    externalId: columnText.min(1).max(200),
    kind: z.enum(['post', 'comment', 'reply', 'mention', 'direct_message']),
    direction: z.enum(['inbound', 'outbound']),
    author: z.object({ handle: z.string().min(1).max(200), name: z.string().min(1).max(200).optional() }).strict(),
    text: z.string().max(100_000),
    url: z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(2_000).optional(),
    receivedAt: z.iso.datetime({ offset: true }).optional(),
    inReplyTo: z.string().min(1).max(200).optional(),
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag').optional(),
  })
  .strict();

/** The body validated by `schema`, or null: bad JSON or a failed schema (answer it with `invalid`). */
export async function validBody<T>(c: Context, schema: z.ZodType<T>): Promise<T | null> {
  const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
  return parsed.success ? parsed.data : null;
}

export const invalid = (c: Context) => c.json({ title: 'Invalid input', status: 400 }, 400, { 'content-type': 'application/problem+json' });
