// Login CSRF (ASVS V3, OWASP "login CSRF"): GET /login hands out a pre-session cookie (HttpOnly,
// SameSite=Strict, path /login) and puts a token derived from it in the form; POST /login signs in
// only when the two belong together. Another site can neither read the token nor send the cookie,
// so it cannot sign a victim's browser in to the attacker's key. No server state: any server
// process on the database can check a token another one handed out. The session itself is a fresh
// token made at sign-in, so the pre-session cookie may outlive it harmlessly.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../db/ledger/hashing.ts';
import { cameOverHttps } from '../security-headers.ts';
import type { PageEnv } from './page-env.ts';

export const loginCookie = 'diarium_login';
const loginCookieSeconds = 60 * 60;
const cookieValue = /^[A-Za-z0-9_-]{32}$/;

const tokenOf = (value: string) => sha256(`login-csrf|${value}`);

/** The form's token, reusing the browser's pre-session cookie when it has one (several tabs may be open). */
export function issueLoginToken(c: Context<PageEnv>): string {
  const existing = getCookie(c, loginCookie);
  if (existing && cookieValue.test(existing)) return tokenOf(existing);
  const value = randomBytes(24).toString('base64url');
  setCookie(c, loginCookie, value, {
    httpOnly: true, sameSite: 'Strict', path: '/login', maxAge: loginCookieSeconds,
    secure: cameOverHttps(c, c.var.deps.trustProxy === true),
  });
  return tokenOf(value);
}

/** Whether the posted token belongs to the browser's pre-session cookie. */
export function loginTokenHolds(c: Context<PageEnv>, given: unknown): boolean {
  const value = getCookie(c, loginCookie);
  if (!value || !cookieValue.test(value) || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(tokenOf(value));
  return a.length === b.length && timingSafeEqual(a, b);
}
