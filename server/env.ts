// The Hono environment shared by every router: dependencies and the authenticated key holder.
import type { Store } from '../db/client.ts';
import type { KeyHolder } from '../db/api-keys.ts';

export type Clock = () => Date;

export interface AppDeps {
  store: Store;
  clock: Clock;
}

export type AppEnv = { Variables: { deps: AppDeps; holder: KeyHolder } };
