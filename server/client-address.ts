// The client's address, for limits per address (sign-in failures, the public register). Taken from
// the socket, never from a header a client can write, unless a trusted reverse proxy is declared
// (TRUST_PROXY=1): then the last X-Forwarded-For entry, the one the proxy itself appended.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // In-process requests (app.request in tests) have no socket: they share one address.
    return 'in-process';
  }
}
