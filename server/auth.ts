// Bearer API keys and the role gate. A key sees only its own organisation.
import type { Context, MiddlewareHandler } from 'hono';
import { findKeyHolder } from '../db/api-keys.ts';
import type { AppEnv } from './env.ts';
import { problem } from './problem.ts';

export const requireKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S{1,200})$/i.exec(header);
  const holder = match?.[1] ? await findKeyHolder(c.var.deps.store.db, match[1]) : null;
  if (!holder) {
    c.header('WWW-Authenticate', 'Bearer realm="diarium"');
    return problem(c, 401, match ? 'The API key is not valid.' : 'Send an API key: Authorization: Bearer KEY.');
  }
  c.set('holder', holder);
  await next();
};

/** null when the key's role may act; else the 403 answer. */
export function roleRefusal(c: Context<AppEnv>, allowed: readonly string[]) {
  const { role } = c.var.holder;
  if (allowed.includes(role)) return null;
  return problem(c, 403, `The role ${role} may not do this; allowed: ${allowed.join(', ')}.`);
}

