// Signing in to the pages with an API key, and signing out. The key is exchanged for a session
// cookie (HttpOnly, SameSite=Strict, Secure over https); the key itself is never stored. Failed
// sign-ins are limited per client address (sign-in-limiter.ts). The form carries a token bound to a
// pre-session cookie (login-csrf.ts).
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { findKeyHolder } from '../../db/access/api-keys.ts';
import { createSession, endSession, sessionMs } from '../../db/access/sessions.ts';
import { clientAddress } from '../client-address.ts';
import { cameOverHttps } from '../security-headers.ts';
import { Layout } from './layout.tsx';
import { issueLoginToken, loginTokenHolds } from './login-csrf.ts';
import { sessionCookie, type PageEnv } from './page-env.ts';
import { requireSession } from './session.middleware.ts';
import type { SignInLimiter } from './sign-in-limiter.ts';

/** Only a path of this site may follow sign-in: never another origin. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(next) ? next : '/');

function LoginPage(props: { next: string; csrf: string; error?: string }) {
  return (
    <Layout title="Sign in">
      {props.error ? <p class="error" role="alert">{props.error}</p> : null}
      <form method="post" action="/login">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <label>
          API key <input type="password" name="key" autocomplete="off" required maxlength={200} />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

export function createLoginRouter(limiter: SignInLimiter) {
  const router = new Hono<PageEnv>();

  router.get('/login', (c) => c.html(<LoginPage next={safeNext(c.req.query('next'))} csrf={issueLoginToken(c)} />));

  router.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    // Login CSRF: refused before the key is even looked at, and not counted as a failed sign-in.
    if (!loginTokenHolds(c, form._csrf)) {
      return c.html(<LoginPage next={next} csrf={issueLoginToken(c)} error="The sign-in form has expired; please try again." />, 403);
    }
    const address = clientAddress(c, c.var.deps.trustProxy === true);
    const now = c.var.deps.clock().getTime();
    const wait = limiter.retryAfter(address, now);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      c.header('Retry-After', String(seconds));
      return c.html(<LoginPage next={next} csrf={issueLoginToken(c)} error={`Too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minutes.`} />, 429);
    }
    const key = typeof form.key === 'string' ? form.key.trim() : '';
    const holder = key && key.length <= 200 ? await findKeyHolder(c.var.deps.store.db, key) : null;
    if (!holder) {
      limiter.failed(address, now);
      return c.html(<LoginPage next={next} csrf={issueLoginToken(c)} error="That key is not valid." />, 401);
    }
    const { token } = await createSession(c.var.deps.store, holder, c.var.deps.clock());
    setCookie(c, sessionCookie, token, {
      httpOnly: true, sameSite: 'Strict', path: '/', maxAge: sessionMs / 1000, secure: cameOverHttps(c, c.var.deps.trustProxy === true),
    });
    return c.redirect(next, 303);
  });

  router.post('/logout', requireSession, async (c) => {
    const token = getCookie(c, sessionCookie);
    if (token) await endSession(c.var.deps.store, token);
    deleteCookie(c, sessionCookie, { path: '/' });
    return c.redirect('/login', 303);
  });

  return router;
}
