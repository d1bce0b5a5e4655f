// Security headers and caching rules on every response of the app (OWASP Secure Headers, ASVS V14.4,
// V8.2): one global middleware, so that every route gets them, including routes added later.
// The header list is built once per app; a request only copies it (hono's secureHeaders) and picks
// one Cache-Control value by its path.
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** The pages use only their own origin: a served stylesheet, no inline script or style. */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Sent only over HTTPS (RFC 6797 §7.2: a user agent ignores it over plain HTTP anyway). */
export const strictTransportSecurity = 'max-age=31536000; includeSubDomains';

/** Public answers anyone may cache briefly; every other answer may carry personal data and is never stored. */
export const publicCaching = {
  register: 'public, max-age=300',
  /** The latest signed ledger checkpoint: a minute, so copies kept by others stay fresh. */
  checkpoint: 'public, max-age=60',
  document: 'public, max-age=300',
  stylesheet: 'public, max-age=3600',
  /** The favicon and the /docs viewer's files: they change only with a release. */
  asset: 'public, max-age=86400',
} as const;
export const privateCaching = 'no-store';

const registerPath = /^\/v1\/orgs\/[^/]+\/channels\/?$/;
const checkpointPath = /^\/v1\/orgs\/[^/]+\/ledger\/checkpoint\/?$/;

/** How a successful GET of `path` may be cached; null: not at all. */
export function publicCachingOf(path: string): string | null {
  if (registerPath.test(path)) return publicCaching.register;
  if (checkpointPath.test(path)) return publicCaching.checkpoint;
  if (path === '/openapi.json' || path === '/docs') return publicCaching.document;
  if (path === '/assets/app.css') return publicCaching.stylesheet;
  if (path === '/favicon.svg' || path.startsWith('/assets/')) return publicCaching.asset;
  return null;
}

/**
 * Whether the request reached us over HTTPS. `X-Forwarded-Proto` counts only when `trustProxy` is
 * set (a reverse proxy in front of the app terminates TLS and overwrites the header); otherwise a
 * client could send it.
 */
export function cameOverHttps(c: Context, trustProxy: boolean): boolean {
  // A prefix test, not a URL parse: this runs on every request.
  if (c.req.url.startsWith('https:')) return true;
  if (!trustProxy) return false;
  const forwarded = c.req.header('x-forwarded-proto');
  return forwarded !== undefined && forwarded.split(',')[0]!.trim().toLowerCase() === 'https';
}

export function createSecurityHeaders(options: { trustProxy: boolean }): MiddlewareHandler {
  const base = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'"],
      connectSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // Set below, and only over HTTPS.
    strictTransportSecurity: false,
    permissionsPolicy: {
      accelerometer: [], autoplay: [], camera: [], displayCapture: [], encryptedMedia: [], fullscreen: [], geolocation: [],
      gyroscope: [], magnetometer: [], microphone: [], midi: [], payment: [], pictureInPicture: [], publickeyCredentialsGet: [],
      screenWakeLock: [], syncXhr: [], usb: [], xrSpatialTracking: [],
    },
  });
  return async (c, next) => {
    await base(c, next);
    const headers = c.res.headers;
    // A handler that says how its answer may be cached (a download, say) is left alone.
    if (!headers.has('cache-control')) {
      const cacheable = (c.req.method === 'GET' || c.req.method === 'HEAD') && c.res.status === 200 ? publicCachingOf(c.req.path) : null;
      headers.set('Cache-Control', cacheable ?? privateCaching);
      // The register answers JSON or HTML by Accept: a cache must keep them apart.
      if (cacheable === publicCaching.register) headers.append('Vary', 'Accept');
    }
    if (cameOverHttps(c, options.trustProxy)) headers.set('Strict-Transport-Security', strictTransportSecurity);
  };
}
