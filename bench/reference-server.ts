// The benchmark's reference endpoints (bench/reference-routes.ts) in a process of their own,
// beside the product server and never inside it: the same database file, opened with the same
// openDatabase, its own port. Started by bench/lib/server.ts with the V8 flags of `npm start`,
// so the engine and the references run under the same settings. Prints one line
// {"listening": URL} once it listens; SIGTERM stops it.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { openDatabase } from '../db/client.ts';
import { referenceRoutes } from './reference-routes.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL names the database the product server uses');
const host = process.env.HOST ?? '127.0.0.1';
const store = await openDatabase(url);
const app = new Hono();
app.route('/', await referenceRoutes(store));
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: host }, (info) => {
  console.log(JSON.stringify({ listening: `http://${host}:${info.port}` }));
});
const stop = () => {
  server.close(() => {
    store.close();
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
