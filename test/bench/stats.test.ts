// The bench's figures: ratios stand beside a rate, and `--quick` fails on a guarded ratio under
// 80 % of its target, never on an unguarded figure.
import { describe, expect, it } from 'vitest';
import { figure, guardFailures, median, table } from '../../bench/lib/stats.ts';

describe('bench figures', () => {
  it('takes the median of the runs, odd or even', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('guards only guarded ratios, at 80 % of their target', () => {
    const justAbove = figure('a', 'a', '×', [1.2, 1.21, 1.3], { target: { op: '>=', value: 1.5 }, guard: true });
    const below = figure('b', 'b', '×', [1.1, 1.19, 1.3], { target: { op: '>=', value: 1.5 }, guard: true });
    const unguarded = figure('c', 'c', '×', [0.1, 0.1, 0.1], { target: { op: '>=', value: 0.3 } });
    expect(justAbove.met).toBe(false);
    expect(guardFailures([justAbove, below, unguarded]).map((f) => f.key)).toEqual(['b']);
  });

  it('prints the ratios beside the rate', () => {
    const rate = figure('rate', 'transitions/s', '/s', [900, 1_000, 1_100], { beside: { 'one-transaction': 1.52, ceiling: 0.31 } });
    const row = table([rate]).split('\n')[2]!;
    expect(row).toContain('1,000');
    expect(row).toContain('1.52× one-transaction, 0.310× ceiling');
  });
});
