// Prepared statements kept per connection, by their SQL text. @libsql/client prepares every
// statement it runs on a local file anew (its sqlite3 backend calls the `libsql` driver's
// Database.prepare for each execute) and offers no way to keep one; SQLite's compiling of the
// items page's statement or of the write batch's reads is then paid on every request. So the
// driver's prepare is wrapped, once per thread, to hand out the statement it prepared before for
// the same text on the same connection. Queries still go through @libsql/client; a remote URL
// does not use the driver and is unaffected.
//
// Reusing a statement is what the driver's statements are for (SQLite resets one that ran to its
// end when it runs again, and compiles it again when it runs after a schema change). One that
// failed is dropped instead: SQLite may leave it active (write-lock.ts), as an unkept one is left
// until collected.
import { Driver, type DriverConnection, type DriverStatement } from './libsql-driver.ts';

/** Statements kept per connection: the multi-row statements of the write batch vary with the group's size. */
export const keptPerConnection = 64;

const kept = new WeakMap<DriverConnection, Map<string, DriverStatement>>();
let installed = false;
let preparedAnew = 0;

// A statement that changes the schema, or text that may hold one (a word of it anywhere: a
// false match only leaves a statement unkept).
const changesSchema = (sql: string) => /\b(create|alter|drop)\b/i.test(sql);

/** Wraps the driver's prepare and exec, as they are now (a benchmark may have wrapped them to time them); once a thread. */
export function keepStatements(): void {
  if (installed) return;
  installed = true;
  const { prepare: prepareAnew, exec } = Driver.prototype;
  Driver.prototype.prepare = function prepare(this: DriverConnection, sql: string): DriverStatement {
    let statements = kept.get(this);
    if (!statements) kept.set(this, (statements = new Map()));
    const known = statements.get(sql);
    if (known) {
      // The most recently used last, so the one dropped when full is the least recently used.
      statements.delete(sql);
      statements.set(sql, known);
      return known;
    }
    preparedAnew++;
    // A kept statement answers with the columns it was compiled with until it next runs, and the
    // client reads them before it runs it; so a schema change on this connection drops them all.
    // (One on another connection is seen as by a statement prepared anew: SQLite learns of it
    // when a statement runs.)
    if (changesSchema(sql)) {
      statements.clear();
      return prepareAnew.call(this, sql);
    }
    const statement = prepareAnew.call(this, sql);
    const owner = statements;
    dropOnFailure(statement, () => {
      if (owner.get(sql) === statement) owner.delete(sql);
    });
    if (statements.size >= keptPerConnection) statements.delete(statements.keys().next().value!);
    statements.set(sql, statement);
    return statement;
  };
  Driver.prototype.exec = function (this: DriverConnection, sql: string): unknown {
    if (changesSchema(sql)) kept.get(this)?.clear();
    return exec.call(this, sql);
  };
}

/** How many statements this thread has prepared (not handed out again) so far, for the tests. */
export function statementsPrepared(): number {
  return preparedAnew;
}

function dropOnFailure(statement: DriverStatement, drop: () => void): void {
  for (const method of ['run', 'all', 'get'] as const) {
    const original = statement[method];
    statement[method] = function (this: DriverStatement, ...args: unknown[]) {
      try {
        return original.apply(this, args);
      } catch (error) {
        drop();
        throw error;
      }
    };
  }
}
