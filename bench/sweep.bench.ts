// Benchmark: one deadline sweep over 100,000 open deadlines of which 10,000 are due, on a
// file database; reports wall time and peak RSS. Run with `npm run bench:sweep`.
// The items are clones of one really ingested item (same machine state), made in SQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { deadlineSweep } from '../schedules/deadline-sweep.ts';
import { activeAccount, organisation, receivedItem } from '../test/helpers/fixtures.ts';

const total = Number(process.env.SWEEP_TOTAL ?? 100_000);
const due = Number(process.env.SWEEP_DUE ?? 10_000);

const dir = mkdtempSync(join(tmpdir(), 'diarium-bench-'));
const store = await openDatabase(`file:${join(dir, 'bench.db')}`);
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

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const started = performance.now();
const counts = await deadlineSweep.run({ store, clock: () => new Date() }, new Date('2026-11-25T08:00:00Z'));
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss, resourceUsage().maxRSS * 1024);

console.log(JSON.stringify({
  benchmark: 'deadline sweep', openDeadlines: total, due, ...counts,
  seconds: Number(seconds.toFixed(2)), breachesPerSecond: Math.round(counts.breached! / seconds),
  peakRssMB: Math.round(peakRss / 1024 / 1024),
}));
store.close();
rmSync(dir, { recursive: true, force: true });
