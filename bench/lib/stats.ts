// Figures: every one is the median of its runs with min and max, checked against the issue's
// target. Ratios are the guard of `--quick`: absolute rates depend on the machine, ratios between
// endpoints measured side by side in the same run much less.
export interface Target {
  op: '>=' | '<=';
  value: number;
}

export interface Figure {
  key: string;
  label: string;
  unit: string;
  runs: number[];
  median: number;
  min: number;
  max: number;
  target: Target | null;
  met: boolean | null;
  /** A ratio between endpoints of this run: what `--quick` fails on. */
  guard: boolean;
  /** Ratios printed beside the median, e.g. the engine's rate over each reference's (medians of the per-run ratios). */
  beside?: Record<string, number>;
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function figure(
  key: string, label: string, unit: string, runs: number[],
  options: { target?: Target; guard?: boolean; beside?: Record<string, number>; note?: string } = {},
): Figure {
  if (runs.length === 0) throw new Error(`no runs for ${key}`);
  const mid = median(runs);
  const target = options.target ?? null;
  return {
    key, label, unit, runs, median: mid, min: Math.min(...runs), max: Math.max(...runs), target,
    met: target ? meets(mid, target, 1) : null, guard: options.guard ?? false,
    ...(options.beside ? { beside: options.beside } : {}),
    ...(options.note ? { note: options.note } : {}),
  };
}

/** Whether `value` reaches `fraction` of the target (1 = the target itself, 0.8 = the quick guard). */
export function meets(value: number, target: Target, fraction: number): boolean {
  return target.op === '>=' ? value >= target.value * fraction : value <= target.value / fraction;
}

/** Ratio guards under 80 % of their targets: `--quick` exits non-zero on any. */
export function guardFailures(figures: Figure[]): Figure[] {
  return figures.filter((f) => f.guard && f.target && !meets(f.median, f.target, 0.8));
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function table(figures: Figure[]): string {
  const header = ['figure', 'median', 'min', 'max', 'unit', 'target', 'met', 'ratio (median of runs)'];
  const rows = figures.map((f) => [
    f.label, format(f.median), format(f.min), format(f.max), f.unit,
    f.target ? `${f.target.op} ${format(f.target.value)}` : '', f.met === null ? '' : f.met ? 'yes' : 'NO',
    Object.entries(f.beside ?? {}).map(([name, ratio]) => `${format(ratio)}× ${name}`).join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
