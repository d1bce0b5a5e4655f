// The engine against the reference servers of bench/references/ (issue 21): transitions and
// ingests, each measured on the engine, the one-transaction server, the group-commit server and
// the HTTP ceiling server in turn, run by run, with the order rotating so a noisy moment or a
// drift of the machine hits all four alike. Every figure is reported as a per-run ratio beside
// the absolute rates, with each side's CPU per request. A fast wrong answer is not a figure:
// around every run the writes each server made are counted, and must be its acknowledged answers
// (plus at most one per connection cut off at the end).
import { cpus } from 'node:os';
import type { LoadResult, LoadSpec } from '../load.ts';
import { loadGeneratorPid, runLoad } from './load-client.ts';
import { heldItems, itemPool, type Bench } from './phases.ts';
import { countRows } from './seed.ts';
import { http, withPeakRss, type ReferenceServer } from './server.ts';
import { coresBusy, cpuPerRequest, machineTicks, threadTicks, threadWaits, waitPerRequest, type CpuPerRequest, type WaitPerRequest } from './thread-cpu.ts';
import { figure, median } from './stats.ts';

const sides = ['engine', 'oneTransaction', 'groupCommit', 'ceiling'] as const;
type Side = (typeof sides)[number];

interface Contender {
  /** The load of one run; `tag` names the side and run (ingest makes external ids of it). */
  spec(duration: number, tag: string): Promise<LoadSpec>;
  /** What grows by one per acknowledged write of the run tagged `tag`, or null: the ceiling writes nothing. */
  writes: ((tag: string) => Promise<number>) | null;
}

type Results = Record<Side, LoadResult[]>;

/** A run's CPU per request: the server's threads, and the load generator's (it shares the two cores). */
type RunCpu = CpuPerRequest & { generatorMicros: number; coresBusy: number; waited: WaitPerRequest };
const allThreads = (c: CpuPerRequest) => c.mainMicros + c.workerMicros + c.otherMicros;

export async function ingest(b: Bench) {
  const { oneTransaction, groupCommit, ceiling } = b.references;
  const body = (url: string, headers: Record<string, string>) => async (duration: number, tag: string): Promise<LoadSpec> => ({
    url, connections: b.config.connections, duration, headers, mode: 'ingest', path: '/v1/items', runTag: tag, accountId: b.accountId,
  });
  const { results, rssMB, cpu, unanswered } = await compare(b, 'ingest', {
    engine: {
      spec: body(b.server.url, { authorization: `Bearer ${b.keys.integrator}` }),
      // The items whose external ids carry the run's tag (the account's unique index answers the range).
      writes: (tag) => countRows(b.store.client, `select count(*) from items where account_id = ? and external_id >= ? and external_id < ?`, [
        b.accountId, `${tag}-`, `${tag}.`,
      ]),
    },
    oneTransaction: { spec: body(oneTransaction.url, {}), writes: eventRows(oneTransaction) },
    groupCommit: { spec: body(groupCommit.url, {}), writes: eventRows(groupCommit) },
    ceiling: { spec: body(ceiling.url, {}), writes: null },
  });
  b.raw.ingest = { ...results, unanswered };
  pushFigures(b, results, rssMB, cpu, {
    noun: 'ingests', key: 'ingests', label: `ingests/s (POST /v1/items, new items, full engine, ${b.config.connections} conn.)`,
    oneTransaction: 'one-transaction server: look up the external key, insert the row and its event',
    groupCommit: 'group-commit server: the same writes, a group of requests a transaction',
    ceiling: 'HTTP ceiling server: hono + zod on the ingest body, no database',
  });
}

export async function transitions(b: Bench) {
  const { pool, connections } = b.config;
  const { oneTransaction, groupCommit, ceiling } = b.references;
  const engineIds = await itemPool(b);
  const seeded = async (reference: ReferenceServer) => (await http(reference.url, null, 'POST', '/seed', { n: pool, prefix: 'toggle' })).ids as string[];
  const oneTransactionIds = await seeded(oneTransaction);
  const groupCommitIds = await seeded(groupCommit);
  // The ceiling keeps no state: any ids do, and every request is valid.
  const ceilingIds = Array.from({ length: pool }, (_, i) => `ceiling-${i}`);
  const toggle = (url: string, ids: string[], headers: Record<string, string>, held: () => Promise<string[]>) =>
    async (duration: number): Promise<LoadSpec> => ({
      url, connections, duration, headers, mode: 'toggle', pathTemplate: '/v1/items/{id}/events', ids, held: await held(),
    });
  const { results, rssMB, cpu, unanswered } = await compare(b, 'transitions', {
    engine: {
      spec: toggle(b.server.url, engineIds, { authorization: `Bearer ${b.keys.registrar}` }, () => heldItems(b, engineIds)),
      writes: () => ledgerHead(b),
    },
    oneTransaction: { spec: toggle(oneTransaction.url, oneTransactionIds, {}, heldRecords(oneTransaction)), writes: eventRows(oneTransaction) },
    groupCommit: { spec: toggle(groupCommit.url, groupCommitIds, {}, heldRecords(groupCommit)), writes: eventRows(groupCommit) },
    ceiling: { spec: toggle(ceiling.url, ceilingIds, {}, async () => []), writes: null },
  });
  b.raw.transitions = { ...results, unanswered };
  pushFigures(b, results, rssMB, cpu, {
    noun: 'transitions', key: 'transitions', label: `durable item transitions/s (HTTP, full engine, ${connections} conn.)`,
    oneTransaction: 'one-transaction server: select, versioned update, event row',
    groupCommit: 'group-commit server: the same writes, a group of requests a transaction',
    ceiling: 'HTTP ceiling server: hono + zod on the event body, no database',
    p99Target: 25,
  });
}

export const ledgerHead = (b: Bench) => countRows(b.store.client, `select ledger_seq from organisations where id = ?`, [b.orgId]);

/** A writing reference's event rows, and its rows on hold (records.ts). */
const eventRows = (reference: ReferenceServer) => async () => (await http(reference.url, null, 'GET', '/state')).events as number;
const heldRecords = (reference: ReferenceServer) => async () => (await http(reference.url, null, 'GET', '/state')).held as string[];

/** Each side's warm-up, then `runs` rounds of one run per side; the engine's peak RSS per run. */
async function compare(
  b: Bench, phase: string, contenders: Record<Side, Contender>,
): Promise<{ results: Results; rssMB: number[]; cpu: Record<Side, RunCpu[]>; unanswered: Record<string, number> }> {
  const { runs, warmup, duration, connections } = b.config;
  const results: Results = { engine: [], oneTransaction: [], groupCommit: [], ceiling: [] };
  const rssMB: number[] = [];
  const cpu: Record<Side, RunCpu[]> = { engine: [], oneTransaction: [], groupCommit: [], ceiling: [] };
  /** Per run, the writes beyond the acknowledged answers: requests whose answers the generator stopped reading. */
  const unanswered: Record<string, number> = {};
  const one = async (side: Side, seconds: number, run: string) => {
    const { spec, writes } = contenders[side];
    const tag = `${side}-${run}`;
    // Each side settles after its own runs (below), so its count is still before the next.
    const before = writes ? await writes(tag) : 0;
    const load = await spec(seconds, tag);
    const pid = side === 'engine' ? b.server.pid : b.references[side].pid;
    const ticks = threadTicks(pid);
    const waits = threadWaits(pid);
    const generator = loadGeneratorPid();
    const generatorTicks = generator === null ? null : threadTicks(generator);
    const machine = machineTicks();
    const measured = side === 'engine' ? await withPeakRss(b.server.pid, () => runLoad(load)) : { value: await runLoad(load), peakMB: NaN };
    const result = measured.value;
    if (run !== 'warmup') {
      const requests = result.ok2xx + result.non2xx;
      const generatorCpu = generator !== null && generatorTicks ? cpuPerRequest(generator, generatorTicks, threadTicks(generator), requests) : null;
      const ticksAfter = threadTicks(pid);
      cpu[side].push({
        ...cpuPerRequest(pid, ticks, ticksAfter, requests), generatorMicros: generatorCpu ? allThreads(generatorCpu) : NaN,
        coresBusy: coresBusy(machine, machineTicks()),
        waited: waitPerRequest(pid, { before: ticks, after: ticksAfter }, { before: waits, after: threadWaits(pid) }, requests),
      });
    }
    if (writes) {
      const extra = (await settledCount(() => writes(tag))) - before - result.ok2xx;
      unanswered[tag] = extra;
      if (extra < 0 || extra > connections) b.problems.push(`${phase}, ${tag}: ${result.ok2xx} acknowledged, ${extra} more written`);
    }
    const refused = result.non2xx + result.errors;
    if (refused > 0) b.problems.push(`${phase}, ${tag}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return measured;
  };
  for (const side of sides) await one(side, warmup, 'warmup');
  for (let run = 1; run <= runs; run++) {
    // engine first in run 1, second in run 2, third in run 3, …
    const order = sides.map((_, i) => sides[(i - run + 1 + sides.length * run) % sides.length]!);
    for (const side of order) {
      const measured = await one(side, duration, `run${run}`);
      results[side].push(measured.value);
      if (side === 'engine') rssMB.push(measured.peakMB);
    }
  }
  return { results, rssMB, cpu, unanswered };
}

/**
 * Until `read` stops growing, and its value then: a server still works through the requests it
 * had read when the load generator hung up, and on a busy machine that takes longer than a fixed pause.
 */
export async function settledCount(read: () => Promise<number>): Promise<number> {
  let last = await read();
  for (let waited = 0; waited < 30_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await read();
    if (now === last) return now;
    last = now;
  }
  throw new Error('writes kept growing for 30 s after the load ended');
}

function pushFigures(
  b: Bench, results: Results, rssMB: number[], cpu: Record<Side, RunCpu[]>,
  text: { noun: string; key: string; label: string; oneTransaction: string; groupCommit: string; ceiling: string; p99Target?: number },
) {
  const rate = (r: LoadResult) => r.perSecond;
  const over = (other: LoadResult[]) => results.engine.map((r, i) => rate(r) / rate(other[i]!));
  const overOne = over(results.oneTransaction);
  const overCeiling = over(results.ceiling);
  const overGroupCommit = over(results.groupCommit);
  const groupCommitOverCeiling = results.groupCommit.map((r, i) => rate(r) / rate(results.ceiling[i]!));
  const { key, noun } = text;
  b.figures.push(
    figure(`${key}PerSecond`, text.label, '/s', results.engine.map(rate), {
      beside: { 'one-transaction': median(overOne), 'ceiling': median(overCeiling) },
    }),
    figure(`${key}P99`, `${noun}: p99 latency at that load`, 'ms', results.engine.map((r) => r.latency.p99),
      text.p99Target ? { target: { op: '<=', value: text.p99Target } } : {}),
    figure(`${key}OneTransactionPerSecond`, text.oneTransaction, '/s', results.oneTransaction.map(rate)),
    figure(`${key}GroupCommitPerSecond`, text.groupCommit, '/s', results.groupCommit.map(rate)),
    figure(`${key}CeilingPerSecond`, text.ceiling, '/s', results.ceiling.map(rate)),
    figure(`${key}OverOneTransaction`, `${noun}: engine ÷ one-transaction server (per run)`, '×', overOne, { target: { op: '>=', value: 1.5 }, guard: true }),
    figure(`${key}OverCeiling`, `${noun}: engine ÷ HTTP ceiling server (per run)`, '×', overCeiling, { target: { op: '>=', value: 0.3 }, guard: true }),
    // Where the 0.3 stands: what the stack reaches with no work of the engine's, and the engine's share of it.
    figure(`${key}GroupCommitOverCeiling`, `${noun}: group-commit server ÷ HTTP ceiling server (per run)`, '×', groupCommitOverCeiling),
    figure(`${key}OverGroupCommit`, `${noun}: engine ÷ group-commit server (per run)`, '×', overGroupCommit),
    figure(`rssUnder${key[0]!.toUpperCase()}${key.slice(1)}`, `server peak RSS under the ${noun} load`, 'MB', rssMB, { target: { op: '<=', value: 250 } }),
    // Where the time goes, per request (bench/lib/thread-cpu.ts).
    figure(`${key}CpuMain`, `${noun}: CPU per request, main thread (HTTP, auth, validation, answer)`, 'µs', cpu.engine.map((c) => c.mainMicros)),
    figure(`${key}CpuWorker`, `${noun}: CPU per request, write worker (load, step, chain, SQLite, commit)`, 'µs', cpu.engine.map((c) => c.workerMicros)),
    figure(`${key}CpuOther`, `${noun}: CPU per request, other threads (V8's GC helpers, libuv)`, 'µs', cpu.engine.map((c) => c.otherMicros)),
    // Time runnable but without a core: on two cores shared with the load generator, part of each request's latency.
    figure(`${key}WaitMain`, `${noun}: time per request the main thread waited for a core (run queue)`, 'µs', cpu.engine.map((c) => c.waited.mainMicros)),
    figure(`${key}WaitWorker`, `${noun}: time per request the write worker waited for a core (run queue)`, 'µs', cpu.engine.map((c) => c.waited.workerMicros)),
    // The same for the references, to set the engine's parts beside what the stack itself costs.
    figure(`${key}GroupCommitCpuMain`, `${noun}: group-commit server's CPU per request, main thread (HTTP, validation)`, 'µs', cpu.groupCommit.map((c) => c.mainMicros)),
    figure(`${key}GroupCommitCpuWriter`, `${noun}: group-commit server's CPU per request, writer thread (SQLite, commit)`, 'µs', cpu.groupCommit.map((c) => c.workerMicros)),
    figure(`${key}GroupCommitCpuOther`, `${noun}: group-commit server's CPU per request, other threads`, 'µs', cpu.groupCommit.map((c) => c.otherMicros)),
    figure(`${key}CeilingCpu`, `${noun}: HTTP ceiling server's CPU per request, all threads`, 'µs', cpu.ceiling.map(allThreads)),
    figure(`${key}GeneratorCpu`, `${noun}: the load generator's CPU per request against the engine`, 'µs', cpu.engine.map((c) => c.generatorMicros)),
    figure(`${key}CoresBusy`, `${noun}: cores busy while the engine runs (every process, load generator too; of ${cpus().length})`, 'cores',
      cpu.engine.map((c) => c.coresBusy)),
  );
}
