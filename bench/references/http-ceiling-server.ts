// The HTTP ceiling reference of `npm run bench`: hono + @hono/node-server + zod v4 and NO
// database. A POST's JSON body is parsed and validated by a zod schema shaped like the engine's
// body, and a small JSON object answers. What this machine serves over HTTP at all, load
// generator included: no design of the product's can beat it, so the engine's rate is reported
// as a fraction of it (issue 21: at least 0.3). A process of its own, started like the product
// (bench/lib/server.ts), so it shares neither event loop nor heap with the product server.
//   POST /v1/items/:id/events  the engine's item event body (machines/item.events.ts, pure zod)
//   POST /v1/items             an ingest body with the rules of the engine's NewItem
import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { itemV2EventSchema } from '../../machines/item.events.ts';
import { serveReference } from './serve-reference.ts';

// server/routes/items.contract.ts's newItemSchema in plain zod: that module loads
// @hono/zod-openapi and the product's contract, which this reference stays without.
const columnText = z.string().regex(/^[^\u0000]*$/, 'may not contain U+0000 (NUL)');
const newItemSchema = z
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

/** The body validated by `schema`, or null once a 400 is answered (bad JSON or a failed schema). */
async function validBody<T>(c: Context, schema: z.ZodType<T>): Promise<T | null> {
  const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
  return parsed.success ? parsed.data : null;
}

const invalid = (c: Context) => c.json({ title: 'Invalid input', status: 400 }, 400, { 'content-type': 'application/problem+json' });

const app = new Hono();

app.post('/v1/items/:id/events', async (c) => {
  const event = await validBody(c, itemV2EventSchema);
  return event ? c.json({ id: c.req.param('id'), type: event.type }) : invalid(c);
});

app.post('/v1/items', async (c) => {
  const item = await validBody(c, newItemSchema);
  return item ? c.json({ id: randomUUID(), externalId: item.externalId }, 201) : invalid(c);
});

serveReference(app);
