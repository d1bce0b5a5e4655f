// Benchmark: one deadline sweep over 100,000 open deadlines of which 10,000 are due, on a
// file database; reports wall time, peak RSS and whether every breach was written exactly once.
// Run with `npm run bench:sweep` (SWEEP_TOTAL, SWEEP_DUE); `npm run bench` runs it too.
// The items are clones of one really ingested item (same machine state), made in SQL. The sweep
// runs in a fresh process: seeding a million rows leaves over a gigabyte resident in this one,
// which would otherwise be reported as the sweep's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { deadlineSweep } from '../schedules/deadline-sweep.ts';
import { activeAccount, organisation, receivedItem } from '../test/helpers/fixtures.ts';
import { rssMB } from './lib/server.ts';

const total = Number(process.env.SWEEP_TOTAL ?? 100_000);
const due = Number(process.env.SWEEP_DUE ?? 10_000);

if (process.env.SWEEP_DATABASE_URL) await sweepOnce(process.env.SWEEP_DATABASE_URL);
else await seedThenSweep();

async function seedThenSweep() {
  const dir = mkdtempSync(join(tmpdir(), 'diarium-bench-'));
  const url = `file:${join(dir, 'bench.db')}`;
  const store = await openDatabase(url);
  await migrateDatabase(store);
  const org = await organisation(store, 'avesta');
  const account = await activeAccount(store, org);
  const template = await receivedItem(store, org, account.id);

  // Clone the template item `total` times; the first `due` deadlines fall due before `now`.
  await store.client.execute(`delete from deadlines`);
  await store.client.execute({
    sql: `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
          insert into items (id, org_id, account_id, external_id, kind, direction, received_at, machine, status, state,
                             context, version, content_hash, created_at, updated_at)
          select printf('bench-%08d', i), org_id, account_id, printf('ext-%08d', i), kind, direction, received_at, machine,
                 status, state, context, version, content_hash, created_at, updated_at
          from n, items where items.id = ?`,
    args: [total, template.id],
  });
  await store.client.execute({
    sql: `insert into deadlines (item_id, kind, org_id, due_at, status, opened_at)
          select id, 'assess', org_id,
                 case when cast(substr(id, 7) as integer) <= ? then '2026-11-24T23:00:00.000Z' else '2027-01-01T00:00:00.000Z' end,
                 'open', created_at
          from items where id like 'bench-%'`,
    args: [due],
  });
  store.close();
  try {
    const output = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!], {
      env: { ...process.env, SWEEP_DATABASE_URL: url }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sweepOnce(url: string) {
  const store = await openDatabase(url);
  const started = performance.now();
  const counts = await deadlineSweep.run({ store, clock: () => new Date() }, new Date('2026-11-25T08:00:00Z'));
  const seconds = (performance.now() - started) / 1000;
  // The sweep awaits a synchronous driver, so a sampling timer would seldom fire: ask the kernel
  // for this process's high-water mark. Not getrusage's maxRSS: Linux carries that over from the
  // parent through fork and exec, so it reported the seeding process's gigabyte as the sweep's.
  const peakRssMB = rssMB(process.pid, 'VmHWM');

  // Exactly once: one DEADLINE_BREACHED event and one breached row per due deadline, no more.
  const countOf = async (sql: string) => Number((await store.client.execute(sql)).rows[0]?.[0] ?? 0);
  const breachEvents = await countOf(`select count(*) from ledger_events where type = 'DEADLINE_BREACHED'`);
  const breachedRows = await countOf(`select count(*) from deadlines where status = 'breached'`);

  console.log(JSON.stringify({
    benchmark: 'deadline sweep', openDeadlines: total, due, ...counts,
    seconds: Number(seconds.toFixed(2)), breachesPerSecond: Math.round(counts.breached! / seconds),
    peakRssMB: Math.round(peakRssMB),
    breachEvents, breachedRows, exactlyOnce: breachEvents === due && breachedRows === due,
  }));
  store.close();
}
