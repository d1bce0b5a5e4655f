// Benchmark: a Noark 5 (or E-ARK SIP) export of 100,000 items on a file database; reports wall
// time, peak RSS of the exporting process, the peak per phase and the package's size. Run with
// `npm run bench:export` (EXPORT_TOTAL, EXPORT_FORMAT, ARCHIVE_SCHEMAS; default ../shared/schemas).
// The items are clones, made in SQL, of a realistic organisation's registered and thinned items
// with their content and ledger events. The export runs the way the product runs it: `diarium
// export` from the bundle that `npm install` builds, in a process of its own with `npm start`'s
// heap settings, so neither the seeding nor tsx's loader is counted as the export's memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { archiveOrganisation } from '../test/helpers/archive-org.ts';
import { bundled, root, rssMB } from './lib/server.ts';

const total = Number(process.env.EXPORT_TOTAL ?? 100_000);
const format = process.env.EXPORT_FORMAT ?? 'noark5';
const schemaDir = process.env.ARCHIVE_SCHEMAS ?? join(import.meta.dirname, '../../shared/schemas');

await seedThenExport();
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
    console.log(JSON.stringify(await exportWithCli(url, join(dir, 'package.tar'))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `diarium export` and samples its RSS: the peak (the kernel's high-water mark) and the peak in each phase. */
async function exportWithCli(url: string, out: string) {
  bundled();
  // `npm start`'s heap settings and a ceiling on the old space: a streaming export must live
  // within them (V8 would otherwise let garbage grow far past what the work holds).
  const heap = ['--max-semi-space-size=8', `--max-old-space-size=${process.env.EXPORT_HEAP_MB ?? 192}`];
  const args = ['export', '--org', 'lillesand', '--format', format, '--from', '2026-11-01T00:00:00Z', '--to', '2027-01-01T00:00:00Z', '--out', out];
  const started = performance.now();
  const child = spawn(process.execPath, [...heap, join(root, 'bin', 'diarium.mjs'), ...args], {
    env: { ...process.env, DATABASE_URL: url, ARCHIVE_SCHEMAS: schemaDir, DIARIUM_FROM_SOURCE: '0' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let phase = 'planning';
  let peakMB = 0;
  const phases: Record<string, number> = {};
  const sample = () => {
    try {
      peakMB = rssMB(child.pid!, 'VmHWM');
      phases[phase] = Math.round(Math.max(phases[phase] ?? 0, rssMB(child.pid!)));
    } catch {
      // The process has just ended: its last sample stands.
    }
  };
  const sampler = setInterval(sample, 50);
  let summary: Record<string, unknown> = {};
  for await (const line of createInterface({ input: child.stdout! })) {
    const message = JSON.parse(line) as { progress?: { phase: string }; ok?: boolean };
    sample();
    if (message.progress) phase = message.progress.phase;
    else summary = message;
  }
  const code = await exited;
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const counts = summary.counts as { items: number } | undefined;
  return {
    benchmark: `export ${format}`, ok: code === 0 && summary.ok === true,
    ...(summary.ok ? { counts, packageMB: Math.round(Number(summary.bytes) / 1e6), files: summary.files } : { summary }),
    seconds: Number(seconds.toFixed(1)), itemsPerSecond: counts ? Math.round(counts.items / seconds) : 0,
    peakRssMB: Math.round(peakMB), peakRssMBByPhase: phases,
  };
}
