// The Hono environment shared by every router: dependencies and the authenticated key holder.
import type { Store } from '../db/client.ts';
import type { KeyHolder } from '../db/access/api-keys.ts';
import type { RateLimit } from './rate-limit.ts';
import type { CheckpointSettings } from '../db/ledger/checkpoints.ts';

export type Clock = () => Date;

export interface AppDeps {
  store: Store;
  clock: Clock;
  /** Requests per key; null turns the limit off; absent: defaultRateLimit (server/rate-limit.ts). */
  rateLimit?: RateLimit | null | undefined;
  /** The checkpoint signing key and interval; absent: no key (checkpoints are refused). */
  checkpoints?: CheckpointSettings | undefined;
}

export type AppEnv = { Variables: { deps: AppDeps; holder: KeyHolder } };
