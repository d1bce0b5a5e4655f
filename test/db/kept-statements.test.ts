// The driver's statements kept per connection (db/kept-statements.ts): @libsql/client must get
// the same answers as with a statement prepared anew for every execute, in and out of
// transactions, after a failure, across a schema change and past the bound of kept statements.
import { createClient, type Client } from '@libsql/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepStatements, keptPerConnection, statementsPrepared } from '../../db/kept-statements.ts';

describe('statements kept per connection', () => {
  let dir: string;
  let client: Client;
  beforeEach(async () => {
    keepStatements();
    dir = mkdtempSync(join(tmpdir(), 'diarium-kept-'));
    client = createClient({ url: `file:${join(dir, 'kept.db')}` });
    await client.execute('create table t (id integer primary key, name text not null unique)');
  });
  afterEach(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prepares a statement run again with other arguments once, and answers each run with its own rows', async () => {
    await client.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [1, 'one'] });
    const before = statementsPrepared();
    for (let id = 2; id <= 20; id++) await client.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [id, `n${id}`] });
    for (let id = 1; id <= 20; id++) {
      const result = await client.execute({ sql: 'select name from t where id = ?', args: [id] });
      expect(result.rows.map((row) => row.name)).toEqual([id === 1 ? 'one' : `n${id}`]);
    }
    // One prepare for the select, none for the insert prepared before.
    expect(statementsPrepared() - before).toBe(1);
  });

  it('keeps transactions whole: reads and writes in one, committed and rolled back', async () => {
    for (const end of ['commit', 'rollback'] as const) {
      const tx = await client.transaction('write');
      await tx.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [end === 'commit' ? 1 : 2, end] });
      expect((await tx.execute('select count(*) as n from t')).rows[0]!.n).toBe(end === 'commit' ? 1 : 2);
      await tx[end]();
    }
    expect((await client.execute('select name from t')).rows.map((row) => row.name)).toEqual(['commit']);
  });

  it('drops a statement that failed, and the statement and the transaction after it work', async () => {
    await client.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [1, 'taken'] });
    const tx = await client.transaction('write');
    await expect(tx.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [2, 'taken'] })).rejects.toThrow(/UNIQUE/);
    const before = statementsPrepared();
    await tx.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [2, 'free'] });
    expect(statementsPrepared() - before).toBe(1); // prepared anew: the failed one was not kept
    await tx.commit();
    expect((await client.execute('select name from t order by id')).rows.map((row) => row.name)).toEqual(['taken', 'free']);
  });

  it('sees a schema change in a statement kept from before it', async () => {
    await client.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [1, 'one'] });
    expect((await client.execute('select * from t')).columns).toEqual(['id', 'name']);
    await client.execute('alter table t add column note text');
    const after = await client.execute('select * from t');
    expect(after.columns).toEqual(['id', 'name', 'note']);
    expect(after.rows[0]!.note).toBeNull();
  });

  it('sees a schema change sent as several statements at once', async () => {
    expect((await client.execute('select * from t')).columns).toEqual(['id', 'name']);
    await client.executeMultiple('alter table t add column note text; alter table t add column tag text;');
    expect((await client.execute('select * from t')).columns).toEqual(['id', 'name', 'note', 'tag']);
  });

  it('sees a schema change made on another connection as a statement prepared anew does', async () => {
    await client.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [1, 'one'] });
    expect((await client.execute('select * from t')).columns).toEqual(['id', 'name']);
    const other = createClient({ url: `file:${join(dir, 'kept.db')}` });
    try {
      await other.execute('alter table t add column note text');
      await other.execute(`update t set note = 'added'`);
    } finally {
      other.close();
    }
    // The connection learns of the change when a statement runs (SQLite then compiles it again),
    // after the client has read its columns: so the first answer may name the old columns, with
    // a statement prepared anew too. From the next on, the new.
    await client.execute('select * from t');
    const after = await client.execute('select * from t');
    expect(after.columns).toEqual(['id', 'name', 'note']);
    expect(after.rows[0]!.note).toBe('added');
  });

  it(`keeps at most ${keptPerConnection} statements a connection, the least recently used dropped first`, async () => {
    const count = (n: number) => `select ${n} as n`;
    await client.execute(count(0));
    for (let n = 1; n <= keptPerConnection; n++) {
      await client.execute(count(n));
      await client.execute(count(0)); // used again each time: never the least recently used
    }
    const before = statementsPrepared();
    expect((await client.execute(count(0))).rows[0]!.n).toBe(0);
    expect(statementsPrepared()).toBe(before); // still kept
    expect((await client.execute(count(1))).rows[0]!.n).toBe(1);
    expect(statementsPrepared()).toBe(before + 1); // dropped when the 65th came, so prepared anew
  });

  it('closes a connection with statements kept, and the file opens again', async () => {
    await client.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [1, 'kept'] });
    await client.execute('select name from t');
    client.close();
    client = createClient({ url: `file:${join(dir, 'kept.db')}` });
    expect((await client.execute('select name from t')).rows.map((row) => row.name)).toEqual(['kept']);
  });
});
