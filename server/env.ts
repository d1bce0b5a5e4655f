// The Hono environment shared by every router: dependencies and the authenticated key holder.
import type { Store } from '../db/client.ts';
import type { KeyHolder } from '../db/access/api-keys.ts';
import type { RateLimit } from './rate-limit.ts';
import type { CheckpointSettings } from '../db/ledger/checkpoints.ts';
import type { ExportSettings } from '../db/archive/export-jobs.ts';
import type { ListReader } from '../db/items/list-reader.ts';

export type Clock = () => Date;

export interface AppDeps {
  store: Store;
  clock: Clock;
  /** Requests per key; null turns the limit off; absent: defaultRateLimit (server/rate-limit.ts). */
  rateLimit?: RateLimit | null | undefined;
  /**
   * Requests per client address to the public channel register; null turns the limit off; absent:
   * defaultPublicRateLimit (server/rate-limit.ts).
   */
  publicRateLimit?: RateLimit | null | undefined;
  /**
   * true: a reverse proxy in front of the app sets X-Forwarded-Proto and X-Forwarded-For, and they
   * are believed (HSTS, Secure cookies, the client's address). Off by default: a client could send them.
   */
  trustProxy?: boolean | undefined;
  /** The checkpoint signing key and interval; absent: no key (checkpoints are refused). */
  checkpoints?: CheckpointSettings | undefined;
  /** Archive exports: the official schemas (ARCHIVE_SCHEMAS) and where packages are kept (EXPORTS_DIR). */
  archive?: ExportSettings | undefined;
  /** Reads GET /v1/items pages on a thread of its own; absent or ended: on the request's thread. */
  listReader?: ListReader | undefined;
}

export type AppEnv = { Variables: { deps: AppDeps; holder: KeyHolder } };
