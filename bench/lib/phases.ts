// The bench's shared state, the item pool, and the measurements of the ledger and the sweep.
// Each phase returns figures (median, min, max of its runs) and the raw runs, and records
// integrity problems in `problems`: a fast wrong answer is not a figure. The engine against the
// references is in against-references.ts, the list under transitions in list-phase.ts.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Store } from '../../db/client.ts';
import { replayItem } from '../../db/ledger/replay.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { cloneId, longHistoryItem } from './seed.ts';
import { http, root, type ReferenceServer, type RunningServer } from './server.ts';
import { figure, type Figure } from './stats.ts';

export interface Config {
  quick: boolean;
  runs: number;
  duration: number;
  warmup: number;
  connections: number;
  pool: number;
  listItems: number;
  sweepTotal: number;
  sweepDue: number;
  replayEvents: number;
}

export interface Keys {
  admin: string;
  integrator: string;
  registrar: string;
  officer: string;
}

export interface Bench {
  config: Config;
  dir: string;
  server: RunningServer;
  /** The reference servers (bench/references/), each in a process of its own. */
  references: { oneTransaction: ReferenceServer; groupCommit: ReferenceServer; ceiling: ReferenceServer };
  keys: Keys;
  store: Store;
  orgId: string;
  accountId: string;
  figures: Figure[];
  /** Integrity problems seen while measuring; any of them fails the run. */
  problems: string[];
  raw: Record<string, unknown>;
}

/**
 * `config.pool` real items of the organisation, never a clone of seed.ts (a clone has no RECEIVED
 * event, so its chain would not verify; clone ids sort before every id the server makes).
 */
export async function itemPool(b: Bench): Promise<string[]> {
  const { pool } = b.config;
  const rows = await b.store.client.execute({
    sql: `select id from items where org_id = ? and status = 'received' and id > ? order by id limit ?`,
    args: [b.orgId, cloneId(2 ** 48 - 1), pool],
  });
  const ids = rows.rows.map((row) => String(row.id));
  while (ids.length < pool) {
    const batch = Array.from({ length: Math.min(64, pool - ids.length) }, (_, i) => http(b.server.url, b.keys.integrator, 'POST', '/v1/items', {
      accountId: b.accountId, externalId: `pool-${ids.length + i}`, kind: 'comment', direction: 'inbound', author: { handle: 'resident' }, text: 'A question.',
    }));
    for (const item of await Promise.all(batch)) ids.push(String(item.id));
  }
  return ids;
}

/** Which of `ids` are on hold now: a run ends with requests in flight whose answers the load generator never reads. */
export async function heldItems(b: Bench, ids: string[]): Promise<string[]> {
  const rows = await b.store.client.execute({
    sql: `select id from items where id in (select value from json_each(?)) and json_extract(context, '$.hold') is not null`,
    args: [JSON.stringify(ids)],
  });
  return rows.rows.map((row) => String(row[0]));
}

export async function replay(b: Bench) {
  const n = b.config.replayEvents;
  const id = await longHistoryItem(b.server.url, { integrator: b.keys.integrator, registrar: b.keys.registrar }, b.accountId, n);
  const times: number[] = [];
  // Thirty replays: a replay is short, and over ten the median still held the first runs, before
  // the machine's code is compiled optimised (a serving process replays warm).
  for (let run = 0; run <= Math.max(b.config.runs, 30); run++) {
    const started = performance.now();
    const result = await replayItem(b.store.db, b.orgId, id, new Date());
    const ms = performance.now() - started;
    if (!result || result.eventsApplied !== n || !result.matchesStored) b.problems.push(`replay: ${JSON.stringify(result)?.slice(0, 300)}`);
    if (run > 0) times.push(ms); // the first one warms the statement cache and the machine
  }
  b.figures.push(figure('replayMs', `replay of one item with ${n.toLocaleString('en-GB')} events (db/ledger/replay.ts)`, 'ms', times, { target: { op: '<=', value: 20 } }));
}

export async function verify(b: Bench) {
  const rates: number[] = [];
  let events = 0;
  for (let run = 1; run <= b.config.runs; run++) {
    const started = performance.now();
    const report = await verifyLedger(b.store.db);
    rates.push(report.events / ((performance.now() - started) / 1000));
    events = report.events;
    if (!report.ok) b.problems.push(`ledger verification: ${JSON.stringify(report.breaks.slice(0, 3))}`);
  }
  b.figures.push(figure('verifyPerSecond', `ledger verification (${events.toLocaleString('en-GB')} events, db/ledger/verify.ts)`, 'events/s', rates, { target: { op: '>=', value: 200_000 } }));
}

/** bench/sweep.bench.ts in a process of its own per run, so each run's peak RSS is its own. */
export async function sweep(b: Bench) {
  const { sweepTotal: total, sweepDue: due } = b.config;
  const runs: Array<{ seconds: number; breachesPerSecond: number; peakRssMB: number; exactlyOnce: boolean }> = [];
  for (let run = 1; run <= b.config.runs; run++) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'bench', 'sweep.bench.ts')], {
      cwd: root, env: { ...process.env, SWEEP_TOTAL: String(total), SWEEP_DUE: String(due) },
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as (typeof runs)[number];
    if (!result.exactlyOnce) b.problems.push(`sweep run ${run}: breaches not written exactly once: ${stdout.trim()}`);
    runs.push(result);
  }
  b.raw.sweep = runs;
  const atIssueSize = total === 1_000_000 && due === 100_000;
  const sizes = `${total.toLocaleString('en-GB')} items, ${due.toLocaleString('en-GB')} due`;
  b.figures.push(
    figure('sweepSeconds', `deadline sweep: ${sizes}`, 's', runs.map((r) => r.seconds), atIssueSize ? { target: { op: '<=', value: 10 } } : {}),
    figure('sweepBreachesPerSecond', 'deadline sweep breaches/s', '/s', runs.map((r) => r.breachesPerSecond), {
      target: { op: '>=', value: 10_000 }, note: 'target derived from the issue: 100,000 breaches in 10 s',
    }),
    figure('sweepPeakRss', 'deadline sweep peak RSS (its own process)', 'MB', runs.map((r) => r.peakRssMB)),
  );
}
