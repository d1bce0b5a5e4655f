// The `diarium` command and the composition root: the one place that reads the environment
// and the clock. Prints JSON on stdout; errors go to stderr with a non-zero exit status.
import { parseArgs } from 'node:util';
import { upgradeAccounts } from '../db/accounts/account-upgrade.ts';
import { createApiKey, isRole, revokeApiKey } from '../db/access/api-keys.ts';
import { migrateDatabase, openDatabase, type Store } from '../db/client.ts';
import { findOrganisationBySlug } from '../db/organisations.ts';
import { verifyLedger } from '../db/ledger/verify.ts';
import { migrateMachines } from '../db/write/machine-migration.ts';
import { findJob, jobs, runJobs } from '../schedules/index.ts';
import { defaultPublicRateLimit, defaultRateLimit, type RateLimit } from './rate-limit.ts';
import { loggableError } from '../db/loggable-error.ts';
import { databaseHint, databaseUrl, requireExistingDatabase, shownDatabase } from './cli/database.ts';
import { addOrganisation } from './cli/orgs.command.ts';
import { print, printError, UsageError } from './cli/output.ts';
import { policyCommand } from './cli/policy.command.ts';
import { initKey, printCheckpoint, verifyCheckpointFile } from './cli/ledger.command.ts';
import { checkpointSettingsFrom } from './ledger-settings.ts';
import type { ListReaderMode } from './serve.ts';
import { exportCommand, exportVerifyCommand } from './cli/export.command.ts';

const usage = `usage: diarium <command>
  serve                                        migrate, then serve HTTP (PORT, HOST)
  migrate                                      apply migrations to DATABASE_URL
  orgs add SLUG (--preset NAME | --policy FILE.json) [--name TEXT]
                                               create an organisation from a preset or its own policy
  policy show --org SLUG                       the policy in force, as GET /v1/policy
  policy set --org SLUG --file FILE.json [--dry-run]
                                               a new policy version (whole, or {preset, overrides}); --dry-run: its impact only
  keys add --org SLUG --role ROLE              create an API key (shown once)
  keys revoke KEY_ID                           revoke a key at once, in every server process
  verify [--org SLUG]                          verify the ledger; exit 1 when broken
  verify --checkpoint FILE                     verify the ledger against a kept checkpoint; exit 1 when it does not hold
  ledger init-key [--out FILE]                 create the checkpoint signing key (LEDGER_SIGNING_KEY); never overwrites
  ledger checkpoint --org SLUG                 print the latest signed checkpoint, signing one if due or none
  sweep [--now ISO] [--job NAME]               run the schedules once (deadlines, thinning)
  machines migrate --machine item --to N [--org SLUG] [--dry-run]
                                               move live items to machine version N; --dry-run writes nothing
  export --org SLUG --format noark5|eark-sip --from ISO --to ISO --out FILE.tar [--account ID]
                                               build an archive package (ARCHIVE_SCHEMAS: the official schemas)
  export verify FILE.tar                       re-check a package; exit 1 on any fault
environment: DATABASE_URL (default file:./data/diarium.db), DATABASE_AUTH_TOKEN, PORT (3000), HOST (127.0.0.1),
  SCHEDULES (on; off leaves sweeping to "diarium sweep"), RATE_LIMIT (1000 requests/s per key; 0: off),
  HEADERS_TIMEOUT_MS (10000), REQUEST_TIMEOUT_MS (120000),
  PUBLIC_RATE_LIMIT (5 requests/s per client address to the channel register, bursts of 50; 0: off),
  TRUST_PROXY (0; 1: a reverse proxy's X-Forwarded-Proto and X-Forwarded-For are believed),
  LIST_READER (worker: GET /v1/items read on the write worker's thread; thread: on a thread of its own, ~55 MB more RSS; off),
  LEDGER_SIGNING_KEY (key file; none: no checkpoints), CHECKPOINT_EVERY_EVENTS (1000), CHECKPOINT_EVERY_MINUTES (60),
  ARCHIVE_SCHEMAS (folder of the official archive schemas), EXPORTS_DIR (data/exports: where exported packages are kept)`;

const clock = () => new Date();

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      preset: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' },
      now: { type: 'string' }, job: { type: 'string' }, help: { type: 'boolean' },
      machine: { type: 'string' }, to: { type: 'string' }, 'dry-run': { type: 'boolean' },
      policy: { type: 'string' }, file: { type: 'string' },
      checkpoint: { type: 'string' }, out: { type: 'string' },
      format: { type: 'string' }, from: { type: 'string' }, account: { type: 'string' },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!command) throw new UsageError('no command given', usage);
  if (command === 'serve') {
    // Loaded only here: the HTTP app and its pages are most of what a call would otherwise load.
    const { serve } = await import('./serve.ts');
    await serve({
      url: databaseUrl(), authToken: process.env.DATABASE_AUTH_TOKEN, clock,
      port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1',
      schedules: process.env.SCHEDULES !== 'off',
      rateLimit: rateLimitOf(process.env.RATE_LIMIT),
      publicRateLimit: rateLimitOf(process.env.PUBLIC_RATE_LIMIT, 'PUBLIC_RATE_LIMIT', defaultPublicRateLimit),
      trustProxy: trustProxyOf(process.env.TRUST_PROXY),
      listReader: listReaderOf(process.env.LIST_READER),
      headersTimeoutMs: milliseconds('HEADERS_TIMEOUT_MS', 10_000),
      requestTimeoutMs: milliseconds('REQUEST_TIMEOUT_MS', 120_000),
      checkpoints: checkpointSettingsFrom(process.env),
      archive: { schemaDir: process.env.ARCHIVE_SCHEMAS || undefined, exportsDir: process.env.EXPORTS_DIR || 'data/exports' },
      writeWorker: process.env.WRITE_WORKER !== 'off',
    });
    return -1; // keeps running
  }
  if (command === 'ledger' && sub === 'init-key') return initKey(values.out ?? process.env.LEDGER_SIGNING_KEY);
  // Only migrate (and serve, above) may create a database: any other command on a missing file
  // would otherwise make an empty one and answer as if the server's data were gone.
  if (command !== 'migrate') requireExistingDatabase(databaseUrl());
  const store = await openDatabase(databaseUrl(), process.env.DATABASE_AUTH_TOKEN);
  try {
    await migrateDatabase(store);
    await upgradeAccounts(store, clock());
    switch (`${command}${sub ? ` ${sub}` : ''}`) {
      case 'migrate':
        print({ ok: true, migrated: true });
        return 0;
      case 'orgs add':
        return await addOrganisation(store, arg, values, clock());
      case 'policy show':
      case 'policy set':
        return await policyCommand(store, sub!, values, clock());
      case 'keys add':
        return await addKey(store, values.org, values.role);
      case 'keys revoke': {
        if (!arg) throw new UsageError('usage: diarium keys revoke KEY_ID');
        const revoked = await revokeApiKey(store, arg, clock());
        if (!revoked) throw new UsageError(`no unrevoked key "${arg}"`, databaseHint(databaseUrl()));
        print({ id: arg, revoked: true });
        return 0;
      }
      case 'verify': {
        if (values.checkpoint !== undefined) return await verifyCheckpointFile(store, checkpointSettingsFrom(process.env), values.checkpoint);
        const org = values.org ? await findOrganisationBySlug(store.db, values.org) : null;
        if (values.org && !org) throw noOrganisation(values.org);
        const report = await verifyLedger(store.db, org?.id);
        print(report);
        return report.ok ? 0 : 1;
      }
      case 'sweep':
        return await sweep(store, values.now, values.job);
      case 'ledger checkpoint':
        return await printCheckpoint(store, checkpointSettingsFrom(process.env), values.org, clock());
      case 'machines migrate':
        return await migrateLiveMachines(store, values);
      case 'export':
        return await exportCommand(store, values, process.env.ARCHIVE_SCHEMAS, clock());
      case 'export verify':
        return await exportVerifyCommand(arg, process.env.ARCHIVE_SCHEMAS);
      default:
        throw new UsageError(`unknown command "${positionals.join(' ')}"`, usage);
    }
  } finally {
    store.close();
  }
}

async function addKey(store: Store, slug: string | undefined, role: string | undefined) {
  if (!slug || !role) throw new UsageError('usage: diarium keys add --org SLUG --role ROLE');
  if (!isRole(role)) throw new UsageError(`unknown role "${role}"; one of admin, integrator, officer, registrar, auditor`);
  const org = await findOrganisationBySlug(store.db, slug);
  if (!org) throw noOrganisation(slug);
  const key = await createApiKey(store, org.id, role, clock());
  print({ id: key.id, key: key.key, role: key.role, org: org.slug });
  return 0;
}

/** Only here may `now` be set: the HTTP API never accepts a clock. */
async function sweep(store: Store, nowText: string | undefined, jobName: string | undefined) {
  const now = nowText === undefined ? clock() : new Date(nowText);
  if (Number.isNaN(now.getTime()) || (nowText !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(nowText))) {
    throw new UsageError(`--now must be an ISO 8601 instant, e.g. 2026-11-23T12:00:00Z`);
  }
  const selected = jobName === undefined ? jobs : [findJob(jobName)].filter((job) => job !== undefined);
  if (selected.length === 0) throw new UsageError(`unknown job "${jobName}"; one of ${jobs.map((job) => job.name).join(', ')}`);
  print({ now: now.toISOString(), jobs: await runJobs({ store, clock, checkpoints: checkpointSettingsFrom(process.env) }, selected, now) });
  return 0;
}

async function migrateLiveMachines(store: Store, values: { machine?: string; to?: string; org?: string; 'dry-run'?: boolean }) {
  const usageText = 'usage: diarium machines migrate --machine item --to N [--org SLUG] [--dry-run]';
  if (values.machine !== 'item' || !values.to || !/^[1-9]\d*$/.test(values.to)) throw new UsageError(usageText);
  const org = values.org ? await findOrganisationBySlug(store.db, values.org) : null;
  if (values.org && !org) throw noOrganisation(values.org);
  const report = await migrateMachines(store, { machine: 'item', to: Number(values.to), orgId: org?.id, dryRun: values['dry-run'] === true, now: clock() });
  if ('ok' in report) throw new UsageError(report.detail);
  print(report);
  return 0;
}

/** RATE_LIMIT (per key) and PUBLIC_RATE_LIMIT (per address): requests a second, bursts in the default's proportion; 0: off. */
function rateLimitOf(text: string | undefined, name = 'RATE_LIMIT', fallback = defaultRateLimit): RateLimit | null {
  if (text === undefined || text === '') return fallback;
  const perSecond = Number(text);
  if (!Number.isInteger(perSecond) || perSecond < 0) throw new UsageError(`${name} must be a whole number of requests a second (0: off)`);
  return perSecond === 0 ? null : { perSecond, burst: Math.ceil((perSecond * fallback.burst) / fallback.perSecond) };
}

/** TRUST_PROXY: 1 when a reverse proxy in front sets X-Forwarded-Proto/-For (docs/security.md); off by default. */
function trustProxyOf(text: string | undefined): boolean {
  if (text === undefined || text === '' || text === '0') return false;
  if (text === '1') return true;
  throw new UsageError('TRUST_PROXY must be 1 (a reverse proxy sets X-Forwarded-Proto and X-Forwarded-For) or 0');
}

function listReaderOf(text: string | undefined): ListReaderMode {
  if (text === undefined || text === '') return 'worker';
  if (text === 'off' || text === 'thread' || text === 'worker') return text;
  throw new UsageError('LIST_READER must be worker (GET /v1/items read on the write worker\'s thread), thread (on a thread of its own) or off');
}

function milliseconds(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 100) throw new UsageError(`${name} must be a whole number of milliseconds, at least 100`);
  return value;
}

/** The commonest surprise: the CLI opened another database than the server's. */
function noOrganisation(slug: string) {
  return new UsageError(`no organisation "${slug}"`, databaseHint(databaseUrl()));
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const database = shownDatabase(databaseUrl());
    if (error instanceof UsageError) printError(error.message, { database, hint: error.hint });
    // parseArgs refuses an unknown option or a missing value with a TypeError.
    else if (error instanceof TypeError) printError(error.message, { hint: usage });
    else printError('internal error', { database, detail: loggableError(error) });
    process.exitCode = 2;
  },
);
