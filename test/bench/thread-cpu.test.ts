// bench/lib/thread-cpu.ts: CPU per request by thread, the time waited for a core, and the machine's cores busy, from /proc.
import { describe, expect, it } from 'vitest';
import { cpus } from 'node:os';
import { coresBusy, cpuPerRequest, machineTicks, threadTicks, threadWaits, waitPerRequest } from '../../bench/lib/thread-cpu.ts';

describe('CPU per request by thread', () => {
  it('splits ticks into the main thread, the busiest other thread and the rest', () => {
    const before = new Map([['100', 10], ['101', 5], ['102', 1], ['103', 0]]);
    const after = new Map([['100', 30], ['101', 45], ['102', 3], ['103', 1], ['104', 2]]);
    // 20 ticks of main, 40 of the worker, 2 + 1 + 2 of the rest, over 1,000 requests; a tick is 10 ms.
    expect(cpuPerRequest(100, before, after, 1_000)).toEqual({ mainMicros: 200, workerMicros: 400, otherMicros: 50 });
  });

  it('reads this process\'s threads, the main one among them, and sees its own work', () => {
    const before = threadTicks(process.pid);
    expect(before.has(String(process.pid))).toBe(true);
    const started = Date.now();
    let spin = 0;
    while (Date.now() - started < 150) spin++;
    expect(spin).toBeGreaterThan(0);
    const after = threadTicks(process.pid);
    expect(after.get(String(process.pid))! - before.get(String(process.pid))!).toBeGreaterThan(0);
  });

  it('gives the time waited for a core per request, of the main thread and of the thread that ran most', () => {
    const ticks = { before: new Map([['100', 10], ['101', 5], ['102', 1]]), after: new Map([['100', 30], ['101', 9], ['102', 40]]) };
    // 102 ran 39 ticks, 101 only 4: 102 is the worker, though 101 waited longer.
    const waits = { before: new Map([['100', 1_000], ['101', 0], ['102', 500]]), after: new Map([['100', 4_000], ['101', 9_000], ['102', 2_500]]) };
    expect(waitPerRequest(100, ticks, waits, 100)).toEqual({ mainMicros: 30, workerMicros: 20 });
    // No schedstat for a thread, or no requests: not a figure.
    expect(waitPerRequest(100, ticks, { before: new Map(), after: new Map([['102', 2_500]]) }, 100).mainMicros).toBeNaN();
    expect(waitPerRequest(100, ticks, waits, 0).workerMicros).toBeNaN();
  });

  it('reads how long this process\'s threads have waited for a core, and the waits only grow', () => {
    const before = threadWaits(process.pid);
    const main = before.get(String(process.pid));
    expect(main).toBeGreaterThanOrEqual(0);
    const started = Date.now();
    while (Date.now() - started < 50);
    expect(threadWaits(process.pid).get(String(process.pid))).toBeGreaterThanOrEqual(main!);
  });

  it('counts the machine\'s busy ticks apart from idle, I/O wait and steal', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const stat = 'cpu  100 5 50 800 20 3 2 10 0 0\ncpu0 50 2 25 400 10 1 1 5 0 0\n';
    expect(machineTicks(stat)).toEqual({ busy: 160, total: 990 });
  });

  it('turns two readings into cores busy on average', () => {
    expect(coresBusy({ busy: 100, total: 1_000 }, { busy: 700, total: 2_000 }, 2)).toBe(1.2);
    expect(coresBusy({ busy: 100, total: 1_000 }, { busy: 100, total: 1_000 }, 2)).toBeNaN();
  });

  it('reads this machine and sees a thread spin', () => {
    const before = machineTicks();
    const started = Date.now();
    while (Date.now() - started < 300);
    const busy = coresBusy(before, machineTicks());
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThanOrEqual(cpus().length);
  });
});
