// The HTTP ceiling reference of `npm run bench`: hono + @hono/node-server + zod v4 and NO
// database. A POST's JSON body is parsed and validated by a zod schema shaped like the engine's
// body, and a small JSON object answers. What this machine serves over HTTP at all, load
// generator included: no design of the product's can beat it, so the engine's rate is reported
// as a fraction of it (issue 21: at least 0.3). A process of its own, started like the product
// (bench/lib/server.ts), so it shares neither event loop nor heap with the product server.
//   POST /v1/items/:id/events  the engine's item event body (machines/item.events.ts, pure zod)
//   POST /v1/items             an ingest body with the rules of the engine's NewItem
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { itemV2EventSchema } from '../../machines/item.events.ts';
import { invalid, newItemSchema, validBody } from './bodies.ts';
import { serveReference } from './serve-reference.ts';

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
