// The group-commit reference of `npm run bench`: what a durable write costs on this stack with
// nothing of the engine's own work. HTTP and validation as the HTTP ceiling server (hono + zod on
// the same bodies); the writes on a thread of its own with its own @libsql/client connection
// (group-commit-writer.ts), the requests of a turn committed together, a few multi-row statements
// a group, each answer after its commit. No auth, machine, hash chain, policy or index beyond the
// external key's. The engine's design is this plus its work, so the engine ÷ this says how much
// of what the stack and machine allow the engine's own work leaves; this ÷ the ceiling says
// whether a target over the ceiling is within the stack's reach at all (issue 21).
//   POST /v1/items/:id/events  the row's version up by one, and an event row
//   POST /v1/items             look the row up by its external key; if new, insert it and its first event
// Set-up, not measured: POST /seed and GET /state, as the one-transaction server's (records.ts).
import { Hono } from 'hono';
import { Worker } from 'node:worker_threads';
import { batcher } from '../../db/write/worker/messages.ts';
import { itemV2EventSchema } from '../../machines/item.events.ts';
import { invalid, newItemSchema, validBody } from './bodies.ts';
import type { WriterAnswer, WriterCommand } from './group-commit-writer.ts';
import { serveReference } from './serve-reference.ts';

type WithoutToken<C> = C extends unknown ? Omit<C, 'token'> : never;
type Command = WithoutToken<WriterCommand>;

const writer = new Worker(new URL('./group-commit-writer.mjs', import.meta.url), { workerData: { url: process.env.DATABASE_URL } });
await new Promise((resolve, reject) => {
  writer.once('message', resolve);
  writer.once('error', reject);
});
writer.on('error', (error) => {
  console.error(`group-commit writer: ${error.stack ?? String(error)}`);
  process.exit(1);
});

const pending = new Map<number, (value: unknown) => void>();
let nextToken = 0;
const send = batcher<WriterCommand>((commands) => writer.postMessage(commands));
writer.on('message', (text: string) => {
  for (const [token, value] of JSON.parse(text) as WriterAnswer[]) {
    pending.get(token)!(value);
    pending.delete(token);
  }
});

/** The command's answer, after its group's commit. The commands of one turn travel as one message. */
function write(command: Command): Promise<unknown> {
  const token = nextToken++;
  send({ ...command, token } as WriterCommand);
  return new Promise((resolve) => pending.set(token, resolve));
}

const app = new Hono();

app.post('/seed', async (c) => {
  const { n, prefix } = await c.req.json<{ n: number; prefix: string }>();
  return c.json(await write({ kind: 'seed', n, prefix }) as object);
});

app.get('/state', async (c) => c.json(await write({ kind: 'state' }) as object));

app.post('/v1/items/:id/events', async (c) => {
  const event = await validBody(c, itemV2EventSchema);
  if (!event) return invalid(c);
  const id = c.req.param('id');
  const version = await write({ kind: 'event', id, type: event.type, payload: JSON.stringify(event) });
  return version === null ? c.json({ error: 'not found' }, 404) : c.json({ id, version });
});

app.post('/v1/items', async (c) => {
  const item = await validBody(c, newItemSchema);
  if (!item) return invalid(c);
  const row = await write({ kind: 'ingest', accountId: item.accountId, externalId: item.externalId, payload: JSON.stringify(item) }) as {
    id: string; version: number; created: boolean;
  };
  return c.json({ id: row.id, version: row.version }, row.created ? 201 : 200);
});

serveReference(app);
