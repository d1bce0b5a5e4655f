// createApp(deps): the whole HTTP surface as a Hono app, with no side effects. Tests call
// app.request(); server/serve.ts binds it to a port.
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps, AppEnv } from './env.ts';
import { createRequireKey } from './auth.ts';
import { clientAddress } from './client-address.ts';
import { createKeyRateLimiter, defaultPublicRateLimit, defaultRateLimit } from './rate-limit.ts';
import { docsScript, docsScriptPath, swaggerAsset, swaggerAssetsPath } from './pages/docs-assets.ts';
import { renderDocsPage } from './pages/docs-page.ts';
import { createPagesRouter } from './pages/pages.router.ts';
import { faviconPath, faviconSvg } from './pages/favicon.ts';
import { appCss, stylesheetPath } from './pages/styles.ts';
import { loggableError } from '../db/loggable-error.ts';
import { isBusy } from '../db/write/write-lock.ts';
import { WriteWorkerStopped } from '../db/write/worker/write-worker-client.ts';
import { documentInfo } from './openapi-document.ts';
import { problem } from './problem.ts';
import { createSecurityHeaders } from './security-headers.ts';
import { noKeyDetail } from '../db/ledger/checkpoints.ts';
import { maxSnapshotBytes } from './routes/accounts.contract.ts';
import { accountsRouter, channelsRouter } from './routes/accounts.router.ts';
import { auditRouter } from './routes/audit.router.ts';
import { exportsRouter } from './routes/exports.router.ts';
import { deadlinesRouter } from './routes/deadlines.router.ts';
import { itemsRouter } from './routes/items.router.ts';
import { policyRouter } from './routes/policy.router.ts';
import { ledgerRouter } from './routes/ledger.router.ts';

export const maxBodyBytes = 1024 * 1024;
const snapshotUploadPath = /^\/v1\/accounts\/[^/]+\/snapshots\/?$/;
const jsonType = /^application\/([a-z0-9.+-]+\+)?json\s*(;.*)?$/i;

export function createApp(deps: AppDeps, log: (line: string) => void = (line) => console.error(line)) {
  const app = new OpenAPIHono<AppEnv>();

  // First, so that every answer (errors and routes added later included) carries the headers.
  app.use('*', createSecurityHeaders({ trustProxy: deps.trustProxy === true }));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });

  // Snapshot files may be up to 20 MiB and are PDF or PNG; every other body is JSON of at most 1 MiB.
  const isSnapshotUpload = (c: { req: { method: string; path: string } }) =>
    c.req.method === 'POST' && snapshotUploadPath.test(c.req.path);
  const jsonLimit = limitBody(maxBodyBytes, (c) => problem(c, 413, `The body is larger than ${maxBodyBytes} bytes.`));
  const fileLimit = limitBody(maxSnapshotBytes, (c) => problem(c, 413, `The snapshot is larger than ${maxSnapshotBytes} bytes.`));
  app.use('/v1/*', (c, next) => (isSnapshotUpload(c) ? fileLimit(c, next) : jsonLimit(c, next)));

  // The public channel register is the one /v1 route without a key: limited per client address instead.
  const publicLimit = deps.publicRateLimit === undefined ? defaultPublicRateLimit : deps.publicRateLimit;
  if (publicLimit) {
    const limiter = createKeyRateLimiter(publicLimit, 10_000);
    app.use('/v1/orgs/*', async (c, next) => {
      const wait = limiter.take(clientAddress(c, deps.trustProxy === true), deps.clock().getTime());
      if (wait > 0) {
        c.header('Retry-After', String(Math.ceil(wait / 1000)));
        return problem(c, 429, `More than ${publicLimit.perSecond} requests a second from this address; retry after ${wait} ms.`);
      }
      await next();
    });
  }
  app.route('/', channelsRouter);
  const requireKey = createRequireKey();
  app.use('/v1/*', async (c, next) => (c.req.path.startsWith('/v1/orgs/') ? next() : requireKey(c, next)));
  const limit = deps.rateLimit === undefined ? defaultRateLimit : deps.rateLimit;
  if (limit) {
    const limiter = createKeyRateLimiter(limit);
    app.use('/v1/*', async (c, next) => {
      if (c.req.path.startsWith('/v1/orgs/')) return next();
      const wait = limiter.take(c.var.holder.keyId, deps.clock().getTime());
      if (wait > 0) {
        c.header('Retry-After', String(Math.ceil(wait / 1000)));
        return problem(c, 429, `More than ${limit.perSecond} requests a second with this key; retry after ${wait} ms.`);
      }
      await next();
    });
  }
  app.use('/v1/*', async (c, next) => {
    const needsJson = ['POST', 'PUT', 'PATCH'].includes(c.req.method) && !isSnapshotUpload(c);
    if (needsJson && !jsonType.test(c.req.header('content-type') ?? '')) {
      return problem(c, 415, 'Send the body as JSON with Content-Type: application/json.');
    }
    await next();
  });
  app.route('/', itemsRouter);
  app.route('/', accountsRouter);
  app.route('/', auditRouter);
  app.route('/', exportsRouter);
  app.route('/', deadlinesRouter);
  app.route('/', policyRouter);
  app.route('/', ledgerRouter);
  app.route('/', createPagesRouter());

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer' });
  const document = () =>
    app.getOpenAPI31Document(documentInfo);
  app.get('/openapi.json', (c) => c.json(document()));
  app.get('/docs', (c) => c.html(renderDocsPage(document() as Parameters<typeof renderDocsPage>[0])));
  // `ok`: the process serves. `checkpoints`: whether it can sign ledger checkpoints (LEDGER_SIGNING_KEY).
  app.get('/health', (c) => c.json({
    ok: true,
    checkpoints: deps.checkpoints?.signer ? { signing: true, keyId: deps.checkpoints.signer.keyId } : { signing: false, detail: noKeyDetail },
  }));
  app.get(docsScriptPath, (c) => c.body(docsScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get(`${swaggerAssetsPath}/:file`, (c) => {
    const asset = swaggerAsset(c.req.param('file'));
    if (!asset) return problem(c, 404, `No file ${c.req.param('file')} under ${swaggerAssetsPath}.`);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': asset.type });
  });
  app.get(faviconPath, (c) => c.body(faviconSvg, 200, { 'Content-Type': 'image/svg+xml' }));
  app.get(stylesheetPath, (c) => c.body(appCss, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  app.notFound((c) => problem(c, 404, `No route ${c.req.method} ${c.req.path}.`));

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const status = error.status === 400 || error.status === 413 ? error.status : error.status >= 500 ? 500 : 400;
      return problem(c, status as 400 | 413 | 500, error.message || 'Invalid request.');
    }
    if (isBusy(error)) return problem(c, 503, 'The database is busy; retry the request.');
    if (error instanceof WriteWorkerStopped) {
      log(`write worker stopped on ${c.req.method} ${c.req.path}; a new one serves the next write`);
      c.header('Retry-After', '1');
      return problem(c, 503, 'The write was interrupted and may or may not have been applied; retry it with the same Idempotency-Key or If-Match.');
    }
    // A bug or broken infrastructure: log it, never leak it.
    log(`internal error on ${c.req.method} ${c.req.path}: ${loggableError(error)}`);
    return problem(c, 500, 'An internal error occurred; it has been logged.');
  });

  return app;
}

/**
 * hono's bodyLimit, without its cost on the usual request. It first reads `c.req.raw.body`, which
 * makes @hono/node-server build a whole web Request (measured: a tenth of a write's CPU). A GET or
 * HEAD has no body, and where Content-Length is given (without Transfer-Encoding) Node's parser
 * reads exactly that many bytes, so the header decides; only a chunked body is counted as it streams.
 */
function limitBody(maxSize: number, onError: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  const streaming = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined && /^\d+$/.test(length)) {
      if (Number(length) > maxSize) return onError(c);
      return next();
    }
    return streaming(c, next);
  };
}

export type App = ReturnType<typeof createApp>;
