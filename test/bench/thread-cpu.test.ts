// bench/lib/thread-cpu.ts: CPU per request by thread, from /proc.
import { describe, expect, it } from 'vitest';
import { cpuPerRequest, threadTicks } from '../../bench/lib/thread-cpu.ts';

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
});
