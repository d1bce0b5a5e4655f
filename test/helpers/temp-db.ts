// A fresh, migrated file database per test (never :memory: — libSQL can lose the schema there).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase, type Store } from '../../db/client.ts';

export interface TempDb {
  store: Store;
  url: string;
  path: string;
  cleanup(): void;
}

export async function tempDb(): Promise<TempDb> {
  const dir = mkdtempSync(join(tmpdir(), 'diarium-test-'));
  const path = join(dir, 'test.db');
  const url = `file:${path}`;
  const store = await openDatabase(url);
  await migrateDatabase(store);
  return {
    store,
    url,
    path,
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
