// How every reference server of the bench listens, as the product server does: the port and host
// from PORT and HOST, one line {"listening": URL} on stdout once it listens, SIGTERM (or SIGINT)
// closes the server, then `close` (e.g. the database), then the process exits.
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export function serveReference(app: Hono, close: () => void = () => {}): void {
  const host = process.env.HOST ?? '127.0.0.1';
  const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: host }, (info) => {
    console.log(JSON.stringify({ listening: `http://${host}:${info.port}` }));
  });
  const stop = () => {
    server.close(() => {
      close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
