// A database of the release before item@2 (test/fixtures/release-item-v1.sql: that release's
// schema and migration journal, written by its own code: 18 item@1 items in avesta, tibro and
// uppsala), loaded into a fresh file and brought up to today's migrations.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateDatabase, openDatabase, type Store } from '../../db/client.ts';

const fixture = fileURLToPath(new URL('../fixtures/release-item-v1.sql', import.meta.url));

export async function releaseDatabase(): Promise<{ store: Store; url: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'diarium-release-'));
  const url = `file:${join(dir, 'release.db')}`;
  const store = await openDatabase(url);
  await store.client.executeMultiple(readFileSync(fixture, 'utf8'));
  await migrateDatabase(store);
  return {
    store,
    url,
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
