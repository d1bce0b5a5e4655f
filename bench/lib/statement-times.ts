// Wall time spent in each SQL statement, read by wrapping the methods of the local libSQL driver
// (the `libsql` package @libsql/client runs a `file:` database on). For an in-process benchmark
// only: the wrapper changes every statement's cost by a few hundred nanoseconds.
import { Driver } from '../../db/libsql-driver.ts';

type Totals = Map<string, { ms: number; calls: number }>;

/** Starts timing every prepare, run, read and exec of this process; returns the totals so far. */
export function timeStatements(): { totals: Totals; reset(): void } {
  const totals: Totals = new Map();
  const add = (key: string, started: number) => {
    const total = totals.get(key) ?? { ms: 0, calls: 0 };
    total.ms += performance.now() - started;
    total.calls++;
    totals.set(key, total);
  };
  // The statement's text, shortened: a multi-row statement of any row count is one key.
  const shown = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 64);
  const Database = Driver as unknown as {
    prototype: Record<string, (this: unknown, ...args: unknown[]) => unknown>;
    new (path: string): { prepare(sql: string): object; close(): void };
  };
  const probe = new Database(':memory:');
  const Statement = (probe.prepare('select 1') as { constructor: { prototype: Record<string, (...args: unknown[]) => unknown> } }).constructor;
  probe.close();
  const sqlOf = new WeakMap<object, string>();
  // `all` reads through `iterate`: only the outer call is timed, so a read is counted once.
  for (const method of ['run', 'all', 'get']) {
    const original = Statement.prototype[method]!;
    Statement.prototype[method] = function (this: object, ...args: unknown[]) {
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        add(`${method === 'run' ? 'run' : 'read'}  ${sqlOf.get(this) ?? '?'}`, started);
      }
    };
  }
  const prepare = Database.prototype.prepare!;
  Database.prototype.prepare = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const statement = prepare.apply(this, args) as object;
    sqlOf.set(statement, shown(args[0] as string));
    add(`prepare  ${shown(args[0] as string)}`, started);
    return statement;
  };
  const exec = Database.prototype.exec!;
  Database.prototype.exec = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    try {
      return exec.apply(this, args);
    } finally {
      add(`exec  ${shown(args[0] as string)}`, started);
    }
  };
  return { totals, reset: () => totals.clear() };
}

/** The statements by time, as µs per operation: the heaviest `top`. */
export function statementTable(totals: Totals, operations: number, top = 16): string {
  const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
  const all = [...totals.values()].reduce((sum, t) => sum + t.ms, 0);
  return [
    `${((all * 1000) / operations).toFixed(1).padStart(7)} µs/op in all SQL`,
    ...rows.map(([key, t]) => `${((t.ms * 1000) / operations).toFixed(1).padStart(7)} µs/op ${String(t.calls).padStart(6)}×  ${key}`),
  ].join('\n');
}
