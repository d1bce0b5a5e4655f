// Prepared statements kept per connection, by their SQL text. @libsql/client prepares every
// statement it runs on a local file anew (its sqlite3 backend calls the `libsql` driver's
// Database.prepare for each execute) and offers no way to keep one; SQLite's compiling of the
// items page's statement or of the write batch's reads is then paid on every request. So the
// driver's prepare is wrapped, once per thread, to hand out the statement it prepared before for
// the same text on the same connection. Queries still go through @libsql/client; a remote URL
// does not use the driver and is unaffected.
//
// Reusing a statement is what the driver's statements are for (SQLite resets one that ran to its
// end when it runs again, and recompiles it after a schema change). One that failed is dropped
// instead: SQLite may leave it active (write-lock.ts), as an unkept one is left until collected.
import { createRequire } from 'node:module';

interface Statement {
  run(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown;
  get(...args: unknown[]): unknown;
}
interface Connection {
  prepare(sql: string): Statement;
}

// The `libsql` package @libsql/client itself loads (a dependency of it, not of this project).
const clientRequire = createRequire(createRequire(import.meta.url).resolve('@libsql/client'));
const Driver = clientRequire('libsql') as { prototype: Connection };

/** Statements kept per connection: the multi-row statements of the write batch vary with the group's size. */
export const keptPerConnection = 64;

interface Kept {
  /** SQLite's schema cookie when the statements were prepared. */
  schema: unknown;
  readSchema: Statement;
  statements: Map<string, Statement>;
}

const kept = new WeakMap<Connection, Kept>();
let installed = false;
let preparedAnew = 0;

/** Wraps the driver's prepare, as it is now (a benchmark may have wrapped it to time it); once a thread. */
export function keepStatements(): void {
  if (installed) return;
  installed = true;
  const prepareAnew = Driver.prototype.prepare;
  Driver.prototype.prepare = function prepare(this: Connection, sql: string): Statement {
    let connection = kept.get(this);
    if (!connection) {
      connection = { schema: undefined, readSchema: prepareAnew.call(this, 'pragma schema_version'), statements: new Map() };
      kept.set(this, connection);
    }
    // A kept statement answers with the columns it was compiled with until it next runs, and the
    // client reads them before it runs it; so none is handed out across a schema change (a
    // migration, here or in another process), whose cookie SQLite moves.
    let schema: unknown;
    try {
      schema = (connection.readSchema.all() as Array<{ schema_version: unknown }>)[0]?.schema_version;
    } catch {
      // Left as it failed, it could hold the connection's statements active: the next call starts over.
      kept.delete(this);
      preparedAnew++;
      return prepareAnew.call(this, sql);
    }
    const { statements } = connection;
    if (schema !== connection.schema) {
      statements.clear();
      connection.schema = schema;
    }
    const known = statements.get(sql);
    if (known) {
      // The most recently used last, so the one dropped when full is the least recently used.
      statements.delete(sql);
      statements.set(sql, known);
      return known;
    }
    const statement = prepareAnew.call(this, sql);
    preparedAnew++;
    dropOnFailure(statement, () => {
      if (statements.get(sql) === statement) statements.delete(sql);
    });
    if (statements.size >= keptPerConnection) statements.delete(statements.keys().next().value!);
    statements.set(sql, statement);
    return statement;
  };
}

/** How many statements this thread has prepared (not handed out again) so far, for the tests. */
export function statementsPrepared(): number {
  return preparedAnew;
}

function dropOnFailure(statement: Statement, drop: () => void): void {
  for (const method of ['run', 'all', 'get'] as const) {
    const original = statement[method];
    statement[method] = function (this: Statement, ...args: unknown[]) {
      try {
        return original.apply(this, args);
      } catch (error) {
        drop();
        throw error;
      }
    };
  }
}
