// The write commands the write worker runs: the hot ones of the one write path, whose arguments
// and answers are plain data (a Date included), so they cross between threads by structured clone.
// Each is the same function the process runs when it has no worker; in the worker the store has
// none, so it runs there.
import type { Store } from '../../client.ts';
import { ingestItem } from '../../items/items.ts';
import { applyItemEvent } from '../apply-item-event.ts';

export const workerCommands = {
  applyItemEvent,
  ingestItem,
} satisfies Record<string, (store: Store, arg: never) => Promise<unknown>>;

export type WorkerCommands = typeof workerCommands;
export type WorkerCommandName = keyof WorkerCommands;
