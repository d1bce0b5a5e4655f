// The "two server processes on one database": a second `diarium serve` on the same file,
// each server toggling its own half of the item pool, against the first server alone on the
// whole pool, side by side run by run. A fast wrong answer is not a figure: after every load,
// each item's new ledger events must be its acknowledged steps, exactly once.
import { cpus } from 'node:os';
import { verifyLedger } from '../../db/ledger/verify.ts';
import type { LoadResult, LoadSpec } from '../load.ts';
import { runLoads } from './load-client.ts';
import { itemPool, type Bench } from './phases.ts';
import { countRows } from './seed.ts';
import { startServer, withPeakRss } from './server.ts';
import { figure, median } from './stats.ts';
import { coresBusy, machineTicks } from './thread-cpu.ts';

interface ItemLedger {
  version: number;
  held: boolean;
  events: number;
  firstSeq: number;
  lastSeq: number;
}

interface Snapshot {
  items: Map<string, ItemLedger>;
  head: number;
}

const headSql = `select ledger_seq from organisations where id = ?`;

export async function twoProcesses(b: Bench) {
  const ids = await itemPool(b);
  const { connections } = b.config;
  const { duration } = b.config;
  // Disjoint halves, one per server: the servers share only the file and the organisation's chain.
  const halves = [ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)] as const;
  const second = await startServer(b.dir, { log: 'server2' });
  try {
    const spec = (url: string, conns: number, pool: string[], held: Set<string>, duration: number): LoadSpec => ({
      url, connections: conns, duration, headers: { authorization: `Bearer ${b.keys.registrar}` },
      mode: 'toggle', pathTemplate: '/v1/items/{id}/events', ids: pool, held: pool.filter((id) => held.has(id)), perItem: true,
    });
    const one = (held: Set<string>, duration: number) => [spec(b.server.url, connections, ids, held, duration)];
    const two = (held: Set<string>, duration: number) => [
      spec(b.server.url, Math.floor(connections / 2), halves[0], held, duration),
      spec(second.url, Math.ceil(connections / 2), halves[1], held, duration),
    ];
    const pids = [b.server.pid, second.pid];
    const load = (label: string, specs: typeof one, duration: number) => checkedLoad(b, ids, pids, label, specs, duration);

    await settle(b); // after an earlier phase's load
    await load('warm-up', two, b.config.warmup); // both servers, each on its half
    const results = { one: [] as LoadResult[][], two: [] as LoadResult[][] };
    const rssMB: number[] = [];
    const cores = { one: [] as number[], two: [] as number[] };
    for (let run = 1; run <= b.config.runs; run++) {
      // Which goes first alternates, so a drift in the machine (or the WAL) hits both alike.
      const order = run % 2 ? (['one', 'two'] as const) : (['two', 'one'] as const);
      for (const name of order) {
        const measured = await load(`run ${run}, ${name}`, name === 'one' ? one : two, duration);
        results[name].push(measured.value);
        cores[name].push(measured.cores);
        if (name === 'two') rssMB.push(measured.peakMB);
      }
    }
    const report = await verifyLedger(b.store.db, b.orgId);
    if (!report.ok) b.problems.push(`two processes: ledger verification: ${JSON.stringify(report.breaks.slice(0, 3))}`);

    const strip = (runs: LoadResult[][]) => runs.map((loads) => loads.map(({ perItem: _, ...rest }) => rest));
    b.raw.twoProcesses = { one: strip(results.one), two: strip(results.two) };
    const rate = (loads: LoadResult[]) => loads.reduce((sum, r) => sum + r.perSecond, 0);
    const p99 = (loads: LoadResult[]) => Math.max(...loads.map((r) => r.latency.p99));
    const oneRates = results.one.map(rate);
    const twoRates = results.two.map(rate);
    const half = `${Math.floor(connections / 2)}+${Math.ceil(connections / 2)}`;
    b.figures.push(
      figure('oneProcessTransitionsPerSecond', `one server process alone, same pool (${connections} conn.)`, '/s', oneRates),
      figure('twoProcessTransitionsPerSecond', `two server processes on one database file (${half} conn.), total`, '/s', twoRates, {
        target: { op: '>=', value: 1.3 * median(oneRates) }, note: 'target: 1.3 × the one-process figure measured alongside in the same phase',
      }),
      figure('twoOverOneRatio', 'two processes ÷ one (per run)', '×', twoRates.map((r, i) => r / oneRates[i]!), { target: { op: '>=', value: 1.3 }, guard: true }),
      figure('oneProcessP99', 'p99 latency, one process', 'ms', results.one.map(p99)),
      figure('twoProcessP99', 'p99 latency, two processes (the worse of the two)', 'ms', results.two.map(p99)),
      figure('rssUnderTwoProcesses', 'peak RSS of either server process, two on one file', 'MB', rssMB, { target: { op: '<=', value: 250 } }),
      // What an added process gives is bounded by the cores one process leaves idle.
      figure('oneProcessCoresBusy', `cores busy, one process (every process, load generator too; of ${cpus().length})`, 'cores', cores.one),
      figure('twoProcessCoresBusy', 'cores busy, two processes', 'cores', cores.two),
    );
  } finally {
    await second.stop();
  }
}

/** One load (one spec per server at the same time), with the ledger read before and after it; the ledger settles after. */
async function checkedLoad(
  b: Bench, ids: string[], pids: number[], label: string, specs: (held: Set<string>, duration: number) => LoadSpec[], duration: number,
): Promise<{ value: LoadResult[]; peakMB: number; cores: number }> {
  const before = await snapshot(b, ids);
  const held = new Set([...before.items].filter(([, item]) => item.held).map(([id]) => id));
  const machine = machineTicks();
  const measured = await withPeakRss(pids, () => runLoads(specs(held, duration)));
  const cores = coresBusy(machine, machineTicks());
  const results = measured.value;
  await settle(b);
  const after = await snapshot(b, ids);
  const problems = [...answerProblems(results), ...ledgerProblems(results, before, after)];
  const strays = await countRows(b.store.client, `select count(*) from ledger_events where org_id = ? and org_seq > ? and type not in ('HOLD', 'RELEASE_HOLD')`, [b.orgId, before.head]);
  if (strays > 0) problems.push(`${strays} new ledger events other than HOLD and RELEASE_HOLD`);
  for (const problem of problems) b.problems.push(`two processes, ${label}: ${problem}`);
  return { ...measured, cores };
}

/**
 * Until the chain stops growing: a server still works through the requests it had read when the
 * load generator hung up, and on a busy machine that takes longer than any fixed pause.
 */
async function settle(b: Bench) {
  const head = () => countRows(b.store.client, headSql, [b.orgId]);
  let last = await head();
  for (let waited = 0; waited < 30_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await head();
    if (now === last) return;
    last = now;
  }
  throw new Error('the ledger kept growing for 30 s after the load ended');
}

/** No item is ever in flight twice, so a 409 or 412 is a lost update or a bug in the workload; a 5xx, a failed write. */
function answerProblems(results: LoadResult[]): string[] {
  return results.flatMap((r) => {
    const refused = Object.entries(r.statusCounts).filter(([status]) => !status.startsWith('2'));
    return refused.length + r.errors + r.timeouts > 0
      ? [`answers ${JSON.stringify(Object.fromEntries(refused))}, ${r.errors} errors, ${r.timeouts} timeouts`]
      : [];
  });
}

/**
 * Lost or doubled events: an item's new events equal its acknowledged steps, plus at most one
 * whose answer the load generator stopped reading at the end. Its stored version is its event
 * count and its sequence runs 1..version; the chain grew by exactly the items' new events.
 */
function ledgerProblems(results: LoadResult[], before: Snapshot, after: Snapshot): string[] {
  const acknowledged = new Map<string, number>();
  const unanswered = new Set<string>();
  for (const r of results) {
    if (!r.perItem) throw new Error('the toggle load was run without perItem');
    const counted = Object.values(r.perItem.acknowledged).reduce((sum, n) => sum + n, 0);
    if (counted !== r.ok2xx) return [`the load generator counted ${r.ok2xx} 2xx answers but ${counted} per item`];
    for (const [id, n] of Object.entries(r.perItem.acknowledged)) acknowledged.set(id, (acknowledged.get(id) ?? 0) + n);
    for (const id of r.perItem.unanswered) unanswered.add(id);
  }
  const wrong: string[] = [];
  let added = 0;
  for (const [id, item] of after.items) {
    const events = item.events - (before.items.get(id)?.events ?? 0);
    const acked = acknowledged.get(id) ?? 0;
    added += events;
    if (events < acked) wrong.push(`${id}: ${acked} acknowledged, ${events} in the ledger (lost)`);
    else if (events > acked + (unanswered.has(id) ? 1 : 0)) wrong.push(`${id}: ${acked} acknowledged, ${events} in the ledger (doubled)`);
    if (item.firstSeq !== 1 || item.lastSeq !== item.events || item.version !== item.events) {
      wrong.push(`${id}: version ${item.version}, ${item.events} events, seq ${item.firstSeq}..${item.lastSeq}`);
    }
  }
  if (after.items.size !== before.items.size) wrong.push(`${before.items.size} pool items before, ${after.items.size} after`);
  if (after.head - before.head !== added) wrong.push(`the chain grew by ${after.head - before.head}, the pool's items by ${added}`);
  return wrong.length > 0 ? [`${wrong.length} ledger mismatches, e.g. ${wrong.slice(0, 3).join('; ')}`] : [];
}

/** The pool's items and the chain's head, read in one transaction so they agree. */
async function snapshot(b: Bench, ids: string[]): Promise<Snapshot> {
  const [rows, head] = await b.store.client.batch([{
    sql: `select i.id, i.version, json_extract(i.context, '$.hold') is not null as held,
                 count(e.seq) as events, coalesce(min(e.seq), 0) as first_seq, coalesce(max(e.seq), 0) as last_seq
          from items i left join ledger_events e on e.subject_id = i.id
          where i.org_id = ? and i.id in (select value from json_each(?))
          group by i.id`,
    args: [b.orgId, JSON.stringify(ids)],
  }, { sql: headSql, args: [b.orgId] }], 'read');
  const items = new Map(rows!.rows.map((row) => [String(row.id), {
    version: Number(row.version), held: Number(row.held) === 1, events: Number(row.events),
    firstSeq: Number(row.first_seq), lastSeq: Number(row.last_seq),
  }]));
  return { items, head: Number(head!.rows[0]?.[0] ?? 0) };
}
