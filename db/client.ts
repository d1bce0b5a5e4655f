// openDatabase(url) → a fresh handle: the libSQL client, Drizzle over it, and the write queue.
// No singletons: every caller (server, CLI, each test) opens its own.
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMissingTrees } from './ledger/merkle-store.ts';
import { keepStatements } from './kept-statements.ts';
import { busyTimeoutMs } from './write/write-lock.ts';
import { createWriteQueue, type WriteQueue } from './write/write-queue.ts';
import { startWriteWorker, type WriteWorker } from './write/worker/write-worker-client.ts';

// Without the schema's relations: nothing uses Drizzle's relational queries, and building their
// config cost ~1 % of a transition when the write queue made a Drizzle per transaction.
export type Db = ReturnType<typeof drizzle>;
/** Drizzle over one write transaction of the queue (write-queue.ts): the same query API as Db. */
export type Tx = Db;

export interface Store {
  db: Db;
  client: Client;
  /** Every write goes through here: one write transaction at a time, many commands per commit. */
  writes: WriteQueue;
  /**
   * The thread that runs the hot write commands (item events, ingests) on a connection of its own,
   * or null: they run here, through `writes`. Only a server on a local file has one.
   */
  worker: WriteWorker | null;
  close(): void;
}

// Beside this file in the sources; in db/ beside dist/ when the CLI runs from its bundle (scripts/build-cli.mjs).
const here = dirname(fileURLToPath(import.meta.url));
const migrationsFolder = [join(here, 'migrations'), join(here, '..', 'db', 'migrations')].find((folder) => existsSync(folder)) ?? join(here, 'migrations');

export interface OpenOptions {
  /** Start a write worker (db/write/worker/): for a local file only, where the driver is synchronous. */
  writeWorker?: boolean;
}

export async function openDatabase(url: string, authToken?: string, { writeWorker = false }: OpenOptions = {}): Promise<Store> {
  if (url.startsWith('file:')) ensureFolder(url);
  keepStatements();
  // timeout: the busy timeout on every pooled connection, so a statement that meets another
  // process's lock waits for it instead of failing at once. The write queue asks for the write
  // lock itself, without blocking, on a local file (write-lock.ts).
  const client = createClient({ url, authToken, timeout: busyTimeoutMs });
  if (url.startsWith('file:')) {
    // WAL is a property of the file: readers never block the one writer.
    await client.execute('PRAGMA journal_mode = WAL');
  }
  const db = drizzle(client);
  const writes = createWriteQueue(client, { pollLock: url.startsWith('file:') });
  const worker = writeWorker && isLocalFile(url) ? await startWriteWorker({ url, authToken }) : null;
  return {
    db, client, writes, worker,
    close: () => {
      void worker?.close();
      client.close();
    },
  };
}

export async function migrateDatabase(store: Store): Promise<void> {
  await migrate(store.db, { migrationsFolder });
  // The ledger's Merkle tree of a database written before it: built once, from the chain.
  await buildMissingTrees(store);
}

/** A database file of this machine (not in memory: another thread could not open the same one). */
function isLocalFile(url: string): boolean {
  return url.startsWith('file:') && !url.includes(':memory:');
}

function ensureFolder(url: string) {
  const path = url.slice('file:'.length).split('?')[0] ?? '';
  if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
}
