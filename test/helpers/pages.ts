// Signed-in page requests for in-process tests: a session from POST /login, the CSRF token read
// from a page, and GET / form POST with the session's cookie.
import { expect } from 'vitest';
import type { App } from '../../server/app.ts';

export interface Session {
  cookie: string;
  csrf: string;
}

/** What GET /login hands a browser: the pre-session cookie and the form's token bound to it (login CSRF). */
export async function loginForm(app: App): Promise<{ cookie: string; csrf: string }> {
  const response = await app.request('/login');
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await response.text())?.[1];
  expect(cookie).toMatch(/^diarium_login=/);
  expect(csrf).toBeTruthy();
  return { cookie, csrf: csrf! };
}

/** POST /login as a browser that has just loaded the sign-in page. */
export async function postLogin(app: App, fields: Record<string, string> | Array<[string, string]>) {
  const form = await loginForm(app);
  const body = new URLSearchParams(fields);
  body.append('_csrf', form.csrf);
  return app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
    body: body.toString(),
  });
}

export async function signIn(app: App, key: string): Promise<Session> {
  const response = await postLogin(app, { key, next: '/' });
  expect(response.status).toBe(303);
  const cookie = (response.headers.getSetCookie().find((c) => c.startsWith('diarium_session=')) ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^diarium_session=/);
  const html = await (await app.request('/', { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  expect(csrf).toBeTruthy();
  return { cookie, csrf: csrf! };
}

export async function getPage(app: App, session: Session, path: string) {
  const response = await app.request(path, { headers: { cookie: session.cookie } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, html: new TextDecoder().decode(bytes) };
}

/** A form POST; the session's CSRF token is added unless `csrf` says otherwise (null: none). */
export async function postForm(
  app: App, session: Session, path: string, fields: Record<string, string> | Array<[string, string]>, csrf: string | null = session.csrf,
) {
  const body = new URLSearchParams(fields);
  if (csrf !== null) body.append('_csrf', csrf);
  const response = await app.request(path, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: response.status, headers: response.headers, html: await response.text() };
}
