// Which database a `diarium` command opens, and the refusal to create one by accident: only
// `migrate` and `serve` may bring a new file database into being. Every other command meets a
// missing file as an error that names the database it looked for and how to point elsewhere.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './output.ts';

export const defaultDatabaseUrl = 'file:./data/diarium.db';

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || defaultDatabaseUrl;
}

/** The URL as an error may show it: without a query string, which may carry a token. */
export function shownDatabase(url: string): string {
  return url.split('?')[0] ?? url;
}

/** The file a `file:` URL names, resolved from the current folder; null for a server URL or :memory:. */
export function databaseFile(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  let path = shownDatabase(url).slice('file:'.length);
  if (path.startsWith('///')) path = path.slice(2);
  else if (path.startsWith('//localhost/')) path = path.slice('//localhost'.length);
  if (path === '' || path === ':memory:') return null;
  return resolve(path);
}

export function databaseHint(url: string): string {
  const file = databaseFile(url);
  const where = file ? ` (this call looked for ${file})` : '';
  return `set DATABASE_URL to the server's database, e.g. DATABASE_URL=file:/path/to/diarium.db${where}; a relative file: path counts from the current folder, and the server uses ${defaultDatabaseUrl} from its own folder unless it was started with DATABASE_URL`;
}

/** Refuses a file database that does not exist, before anything could create it. */
export function requireExistingDatabase(url: string): void {
  const file = databaseFile(url);
  if (file && !existsSync(file)) {
    throw new UsageError(`no database at ${shownDatabase(url)}: run "diarium migrate" (or npm start) to create one`, databaseHint(url));
  }
}
