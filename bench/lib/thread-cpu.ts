// Where a server's CPU goes per request, by thread, from Linux's /proc/PID/task/TID/stat: the
// main thread (its TID is the PID), the write worker (the busiest other thread: V8's helpers and
// libuv's pool each use a fraction of it) and the rest. Counted in clock ticks, so it measures CPU
// spent, not time waited, and holds better than a rate on a busy machine. Apart from it, how long
// the main thread and the worker waited for a core (schedstat): what a contended machine adds to
// each request. Beside both, how many of the machine's cores were busy at all (/proc/stat): what
// a design leaves idle, and so what an added process or core could give.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const tickMicros = 10_000; // USER_HZ is 100 on Linux

export type ThreadTicks = Map<string, number>;

/**
 * `read` of each of `pid`'s threads' files under /proc/PID/task/TID/, by TID; a thread that ends
 * between the listing and the read, or whose `read` gives no number, is left out.
 */
function perThread(pid: number, read: (dir: string) => number): Map<string, number> {
  const values = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const value = read(`/proc/${pid}/task/${tid}`);
      if (Number.isFinite(value)) values.set(tid, value);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return values;
}

export function threadTicks(pid: number): ThreadTicks {
  return perThread(pid, (dir) => {
    const stat = readFileSync(`${dir}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  });
}

export interface CpuPerRequest {
  mainMicros: number;
  workerMicros: number;
  otherMicros: number;
}

/** The ticks between two readings of the main thread, of the write worker (the busiest other thread) and of the rest. */
function parts(pid: number, before: ThreadTicks, after: ThreadTicks) {
  const spent = [...after].map(([tid, ticks]) => ({ tid, ticks: ticks - (before.get(tid) ?? 0) }));
  const others = spent.filter((t) => t.tid !== String(pid)).sort((a, b) => b.ticks - a.ticks);
  return { main: spent.find((t) => t.tid === String(pid))?.ticks ?? 0, worker: others[0], rest: others.slice(1) };
}

/** CPU µs per request of each part between two readings of `pid`'s threads. */
export function cpuPerRequest(pid: number, before: ThreadTicks, after: ThreadTicks, requests: number): CpuPerRequest {
  const { main, worker, rest } = parts(pid, before, after);
  const per = (ticks: number) => (requests > 0 ? (ticks * tickMicros) / requests : NaN);
  return { mainMicros: per(main), workerMicros: per(worker?.ticks ?? 0), otherMicros: per(rest.reduce((sum, t) => sum + t.ticks, 0)) };
}

/**
 * How long each of `pid`'s threads has waited, runnable, for a core (µs), from
 * /proc/PID/task/TID/schedstat's second field: on a machine whose cores are all taken, the time
 * a request spends in none of its threads' work. Empty where the kernel keeps no schedstat.
 */
export function threadWaits(pid: number): Map<string, number> {
  return perThread(pid, (dir) => Number(readFileSync(`${dir}/schedstat`, 'utf8').split(' ')[1]) / 1_000);
}

export interface WaitPerRequest {
  mainMicros: number;
  workerMicros: number;
}

/**
 * µs waited for a core per request by the main thread and by the write worker (the thread
 * cpuPerRequest names the worker: the busiest other one between `ticks`' two readings).
 */
export function waitPerRequest(
  pid: number, ticks: { before: ThreadTicks; after: ThreadTicks }, waits: { before: Map<string, number>; after: Map<string, number> },
  requests: number,
): WaitPerRequest {
  const worker = parts(pid, ticks.before, ticks.after).worker?.tid;
  const waited = (tid: string | undefined) => {
    const after = tid === undefined ? undefined : waits.after.get(tid);
    if (tid === undefined || after === undefined || requests <= 0) return NaN;
    return (after - (waits.before.get(tid) ?? 0)) / requests;
  };
  return { mainMicros: waited(String(pid)), workerMicros: waited(worker) };
}

/** The machine's CPU time so far, all cores together, in clock ticks: busy, and busy or not. */
export interface MachineTicks {
  busy: number;
  total: number;
}

/**
 * From /proc/stat's first line (user nice system idle iowait irq softirq steal …). Busy is what
 * this machine's processes ran; idle, waiting for I/O and time the hypervisor gave another guest
 * (steal) are not.
 */
export function machineTicks(stat = readFileSync('/proc/stat', 'utf8')): MachineTicks {
  const line = stat.slice(0, stat.indexOf('\n'));
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy, total: busy + idle! + iowait! + (steal ?? 0) };
}

/** How many of the machine's `cores` were busy on average between two readings, every process counted. */
export function coresBusy(before: MachineTicks, after: MachineTicks, cores = cpus().length): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * cores : NaN;
}
