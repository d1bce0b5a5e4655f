// `diarium serve`: migrate (schema, then live machine snapshots), create the preset organisations on an empty database, listen.
import { serve as listen } from '@hono/node-server';
import { upgradeAccounts } from '../db/accounts/account-upgrade.ts';
import { createApiKey } from '../db/access/api-keys.ts';
import { migrateDatabase, openDatabase, type Store } from '../db/client.ts';
import { listItemsJson } from '../db/items/items.ts';
import { startListReader, workerListReader } from '../db/items/list-reader.ts';
import { countOrganisations, createOrganisation } from '../db/organisations.ts';
import { presetNames } from '../machines/policy/presets.ts';
import { jobs, runJobs, startSchedules } from '../schedules/index.ts';
import { createApp } from './app.ts';
import type { ExportSettings } from '../db/archive/export-jobs.ts';
import { answerClientErrors } from './client-error.ts';
import type { Clock } from './env.ts';
import type { RateLimit } from './rate-limit.ts';
import type { CheckpointSettings } from '../db/ledger/checkpoints.ts';
import { loggableError } from '../db/loggable-error.ts';

export interface ServeOptions {
  url: string;
  authToken?: string | undefined;
  port: number;
  host: string;
  clock: Clock;
  /** false: no node-cron jobs and no catch-up run here (sweeps come from `diarium sweep`). */
  schedules: boolean;
  rateLimit: RateLimit | null;
  /** Requests per client address to the public channel register (PUBLIC_RATE_LIMIT). */
  publicRateLimit: RateLimit | null;
  /** Believe a reverse proxy's X-Forwarded-Proto and X-Forwarded-For (TRUST_PROXY=1); off by default. */
  trustProxy: boolean;
  /** A client must send its headers within this time, and its whole request within the next (a slow client cannot hold the server). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** The checkpoint signing key and interval (LEDGER_SIGNING_KEY, CHECKPOINT_EVERY_*). */
  checkpoints: CheckpointSettings;
  /** Archive exports: the official schemas and the folder the packages are kept in. */
  archive?: ExportSettings | undefined;
  /** Item events and ingests committed by a thread of their own (db/write/worker/); WRITE_WORKER=off runs them here. */
  writeWorker: boolean;
  /**
   * Where GET /v1/items is read (LIST_READER; db/items/list-reader.ts): on the write worker's
   * thread, on a thread of its own, or on the request's thread (off, and without a write worker).
   */
  listReader?: ListReaderMode | undefined;
}

export type ListReaderMode = 'worker' | 'thread' | 'off';

export async function serve(options: ServeOptions) {
  const store = await openDatabase(options.url, options.authToken, { writeWorker: options.writeWorker });
  await migrateDatabase(store);
  await upgradeAccounts(store, options.clock());
  await bootstrap(store, options.clock);
  // After the migrations: the reader's client finds today's schema. By default the write worker's
  // thread reads the pages, on a connection of its own; a thread of its own holds ~55 MB even idle,
  // which every other load's RSS would carry too (docs/list-page.md). Without a write worker
  // (WRITE_WORKER=off, a remote database) the request's thread reads them.
  const listReader = options.listReader === 'thread'
    ? startListReader(options.url, options.authToken)
    : options.listReader === 'worker' && store.worker
      ? workerListReader(store.worker, (orgId, query) => listItemsJson(store.db, orgId, query))
      : undefined;
  const app = createApp({
    store, clock: options.clock, rateLimit: options.rateLimit, publicRateLimit: options.publicRateLimit, trustProxy: options.trustProxy,
    checkpoints: options.checkpoints, archive: options.archive, listReader,
  });
  const deps = { store, clock: options.clock, checkpoints: options.checkpoints };
  const schedules = options.schedules ? startSchedules(deps) : { stop() {} };
  const server = listen({
    fetch: app.fetch, port: options.port, hostname: options.host,
    serverOptions: {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      // How often Node checks those timeouts: often enough that a slow client is cut off near them.
      connectionsCheckingInterval: Math.max(100, Math.min(options.headersTimeoutMs, 5_000) / 2),
    },
  }, (info) => {
    console.log(JSON.stringify({ listening: `http://${options.host}:${info.port}`, database: redact(options.url) }));
    // Catch up on what fell due while the server was down, without waiting for the first tick.
    if (options.schedules) runJobs(deps, jobs, options.clock()).catch((error: unknown) => console.error(`catch-up run failed: ${loggableError(error)}`));
  });
  answerClientErrors(server);
  const stop = () => {
    schedules.stop();
    server.close(() => {
      void (listReader?.close() ?? Promise.resolve()).finally(() => {
        store.close();
        process.exit(0);
      });
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** On an empty database: the four preset organisations, each with one admin key, printed once. */
async function bootstrap(store: Store, clock: Clock) {
  if ((await countOrganisations(store.db)) > 0) return;
  for (const preset of presetNames) {
    const created = await createOrganisation(store, { slug: preset, preset }, clock());
    if (!created.ok) continue; // another process bootstrapped it first
    const key = await createApiKey(store, created.organisation.id, 'admin', clock());
    console.log(JSON.stringify({ org: preset, role: 'admin', keyId: key.id, key: key.key }));
  }
}

function redact(url: string) {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
