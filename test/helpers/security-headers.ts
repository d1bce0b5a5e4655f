// The headers every answer of the app must carry (issue 19), as one assertion the header walk and
// other tests share. Written from the list, not read back from server/security-headers.ts.
import { expect } from 'vitest';

export const expectedCsp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Public answers and how long they may be cached; everything else: no-store. */
const publicAnswers: Array<[RegExp, RegExp]> = [
  [/^\/v1\/orgs\/[^/]+\/channels$/, /^public, max-age=\d+$/],
  [/^\/openapi\.json$/, /^public, max-age=\d+$/],
  [/^\/v1\/orgs\/[^/]+\/ledger\/checkpoint$/, /^public, max-age=\d+$/],
  [/^\/docs$/, /^public, max-age=\d+$/],
  [/^\/assets\/app\.css$/, /^public, max-age=\d+$/],
  [/^\/(favicon\.svg|assets\/.+)$/, /^public, max-age=\d+$/],
];

export interface Answered {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  https?: boolean;
}

export function expectSecurityHeaders(answer: Answered) {
  const where = `${answer.method} ${answer.path} → ${answer.status}`;
  const h = answer.headers;
  expect(h.get('content-security-policy'), where).toBe(expectedCsp);
  expect(h.get('x-frame-options'), where).toBe('DENY');
  expect(h.get('x-content-type-options'), where).toBe('nosniff');
  expect(h.get('referrer-policy'), where).toMatch(/^(same-origin|no-referrer|strict-origin)$/);
  const permissions = h.get('permissions-policy') ?? '';
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(permissions, where).toContain(`${feature}=()`);
  expect(h.get('x-powered-by'), where).toBeNull();
  if (answer.https) expect(h.get('strict-transport-security'), where).toMatch(/^max-age=(\d{8,})/);
  else expect(h.get('strict-transport-security'), where).toBeNull();
  const path = answer.path.split('?')[0]!;
  const cacheable = answer.method === 'GET' && answer.status === 200 ? publicAnswers.find(([pattern]) => pattern.test(path)) : undefined;
  if (cacheable) expect(h.get('cache-control'), where).toMatch(cacheable[1]);
  else expect(h.get('cache-control'), where).toBe('no-store');
}
