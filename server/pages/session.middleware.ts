// The pages' sign-in gate: a session cookie (HttpOnly, SameSite=Strict) that stands for an API key,
// and the CSRF check on every form post. No session → the sign-in page.
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../db/ledger/hashing.ts';
import { findSession } from '../../db/access/sessions.ts';
import { sessionCookie, type PageEnv } from './page-env.ts';

export const requireSession: MiddlewareHandler<PageEnv> = async (c, next) => {
  const token = getCookie(c, sessionCookie);
  const session = token && token.length <= 100 ? await findSession(c.var.deps.store.db, token, c.var.deps.clock()) : null;
  if (!session) {
    if (c.req.method !== 'GET') return c.text('Your session has ended; sign in again.', 401);
    return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  }
  c.set('holder', session.holder);
  c.set('csrf', session.csrf);
  // Signs links the server hands out (audit verification progress). Derived from the HttpOnly
  // session token, not the CSRF token, which every page carries in its HTML.
  c.set('linkSecret', sha256(`links|${token}`));
  if (c.req.method === 'POST') {
    const form = await c.req.parseBody();
    if (!sameToken(String(form._csrf ?? ''), session.csrf)) return c.text('The form has expired; reload the page and try again.', 403);
  }
  await next();
};

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
