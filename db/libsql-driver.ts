// The `libsql` driver under @libsql/client's `file:` databases: its Database class, loaded from
// where @libsql/client loads it (a dependency of the client, not of this project), for the code
// that wraps its methods (kept-statements.ts; the bench's statement timer).
import { createRequire } from 'node:module';

export interface DriverStatement {
  run(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown;
  get(...args: unknown[]): unknown;
}

export interface DriverConnection {
  prepare(sql: string): DriverStatement;
  exec(sql: string): unknown;
  close(): void;
}

export const Driver = createRequire(createRequire(import.meta.url).resolve('@libsql/client'))('libsql') as {
  new (path: string): DriverConnection;
  prototype: DriverConnection;
};
