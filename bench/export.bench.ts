// Benchmark: a Noark 5 (or E-ARK SIP) export of 100,000 items on a file database; reports wall
// time, peak RSS of the exporting process and the package's size. Run with `npm run bench:export`
// (EXPORT_TOTAL, EXPORT_FORMAT, ARCHIVE_SCHEMAS; default ../shared/schemas).
// The items are clones, made in SQL, of a realistic organisation's registered and thinned items
// with their content and ledger events. The export runs in a fresh process so that the seeding's
// memory is not reported as the export's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveOrganisation as archiveOrgOf } from '../db/archive/archive-organisation.ts';
import { buildPackage } from '../db/archive/build-package.ts';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { findOrganisationBySlug } from '../db/organisations.ts';
import { archiveOrganisation } from '../test/helpers/archive-org.ts';
import { rssMB } from './lib/server.ts';

const total = Number(process.env.EXPORT_TOTAL ?? 100_000);
const format = (process.env.EXPORT_FORMAT ?? 'noark5') as 'noark5' | 'eark-sip';
const schemaDir = process.env.ARCHIVE_SCHEMAS ?? join(import.meta.dirname, '../../shared/schemas');

if (process.env.EXPORT_DATABASE_URL) await exportOnce(process.env.EXPORT_DATABASE_URL, process.env.EXPORT_DIR!);
else await seedThenExport();

async function seedThenExport() {
  const dir = mkdtempSync(join(tmpdir(), 'diarium-bench-export-'));
  const url = `file:${join(dir, 'bench.db')}`;
  const store = await openDatabase(url);
  await migrateDatabase(store);
  const o = await archiveOrganisation(store);
  const templates = [...o.registered, ...o.thinned];
  const perTemplate = Math.ceil(total / templates.length);
  for (const [n, template] of templates.entries()) {
    const offset = n * perTemplate;
    // Clones spread over the period, a case reference per 50 clones of a case item.
    await store.client.execute({
      sql: `with recursive k(i) as (select 1 union all select i + 1 from k where i < ?)
            insert into items (id, org_id, account_id, external_id, kind, direction, received_at, machine, status, state,
                               context, version, content_hash, created_at, updated_at)
            select printf('bench-%08d', ? + i), org_id, account_id, printf('ext-%08d', ? + i), kind, direction,
                   strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-01T00:00:00Z', printf('+%d seconds', (? + i) * 20)), machine, status, state,
                   case when json_extract(context, '$.registered.caseRef') is not null
                        then json_set(context, '$.registered.caseRef', printf('2026/%d', 1000 + (? + i) / 50)) else context end,
                   version, printf('c%063d', ? + i), created_at, updated_at
            from k, items where items.id = ?`,
      args: [perTemplate, offset, offset, offset, offset, offset, template],
    });
    await store.client.execute({
      sql: `insert into contents (hash, org_id, item_id, role, body, salt, created_at, erased_at, erased_reason)
            select printf('c%063d', cast(substr(i.id, 7) as integer)), c.org_id, i.id, c.role, c.body, c.salt, c.created_at, c.erased_at, c.erased_reason
            from items i join items t on t.id = ? join contents c on c.hash = t.content_hash
            where i.id like 'bench-%' and cast(substr(i.id, 7) as integer) between ? and ?`,
      args: [template, offset + 1, offset + perTemplate],
    });
    await store.client.execute({
      sql: `insert into ledger_events (org_id, org_seq, subject, subject_id, seq, type, actor_key_id, actor_role, at, machine,
                                       from_state, to_state, payload, prev_hash, hash)
            select e.org_id, 1000000 + cast(substr(i.id, 7) as integer) * 20 + e.seq, e.subject, i.id, e.seq, e.type, e.actor_key_id,
                   e.actor_role, e.at, e.machine, e.from_state, e.to_state, e.payload, e.prev_hash, e.hash
            from items i join ledger_events e on e.subject_id = ?
            where i.id like 'bench-%' and cast(substr(i.id, 7) as integer) between ? and ?`,
      args: [template, offset + 1, offset + perTemplate],
    });
  }
  store.close();
  try {
    // The heap limits of `npm start` and a ceiling on the old space: a streaming export must live
    // within them (V8 would otherwise let garbage grow far past what the work holds).
    const heap = ['--max-semi-space-size=8', `--max-old-space-size=${process.env.EXPORT_HEAP_MB ?? 192}`];
    const output = execFileSync(process.execPath, [...heap, ...process.execArgv, process.argv[1]!], {
      env: { ...process.env, EXPORT_DATABASE_URL: url, EXPORT_DIR: dir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function exportOnce(url: string, dir: string) {
  const store = await openDatabase(url);
  const org = (await findOrganisationBySlug(store.db, 'lillesand'))!;
  let peakSampled = 0;
  const sampler = setInterval(() => { peakSampled = Math.max(peakSampled, process.memoryUsage().rss); }, 200);
  const started = performance.now();
  const result = await buildPackage({
    db: store.db, org: archiveOrgOf(org), format, range: { from: '2026-11-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
    now: new Date('2027-01-02T00:00:00Z'), schemaDir, workDir: join(dir, 'work'), tarPath: join(dir, 'package.tar'),
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  console.log(JSON.stringify({
    benchmark: `export ${format}`, ok: result.ok, ...(result.ok ? { counts: result.summary.counts, packageMB: Math.round(result.summary.bytes / 1e6), files: result.summary.files } : { result }),
    seconds: Number(seconds.toFixed(1)), itemsPerSecond: result.ok ? Math.round(result.summary.counts.items / seconds) : 0,
    peakRssMB: Math.round(rssMB(process.pid, 'VmHWM')),
  }));
  store.close();
}
