// An item event as HTTP and the schedules send it, through the one write path (apply-event.ts),
// answered with the item's view as its transaction holds it.
import type { ItemV2EventBody } from '../../machines/item.events.ts';
import type { Store } from '../client.ts';
import type { ItemRow, ItemView } from '../items/item-view.ts';
import { viewInBatch } from '../items/items.ts';
import type { Actor } from '../ledger/ledger.ts';
import { applyEvent, applyEventInTransaction, type EventCommand } from './apply-event.ts';
import type { Failure } from './outcome.ts';
import type { WriteBatch } from './write-batch.ts';

export interface ItemEventCommand {
  orgId: string;
  itemId: string;
  actor: Actor;
  event: ItemV2EventBody;
  /** The version the client saw (If-Match); null: no precondition. */
  ifMatch: number | null;
  /** Present when the client sent Idempotency-Key; scoped to the actor's key. */
  idempotency: { key: string; fingerprint: string } | null;
  /** See EventCommand.checkKey. */
  checkKey?: boolean;
  /** Extra ledger payload from the system (e.g. the thinning decision an automatic THIN follows). */
  annotations?: Record<string, unknown>;
  now: Date;
}

export type ItemEventResult = { ok: true; item: ItemView; replayed: boolean } | Failure;

const answer = async (batch: WriteBatch, row: unknown) => ({ item: await viewInBatch(batch, row as ItemRow) });

function command(cmd: ItemEventCommand): EventCommand {
  const { itemId, event, ...rest } = cmd;
  return { ...rest, subject: 'item', id: itemId, event: event as EventCommand['event'] };
}

export function applyItemEvent(store: Store, cmd: ItemEventCommand): Promise<ItemEventResult> {
  if (store.worker) return store.worker.run('applyItemEvent', cmd);
  return applyEvent(store, command(cmd), answer);
}

export function applyInTransaction(batch: WriteBatch, cmd: ItemEventCommand): Promise<ItemEventResult> {
  return applyEventInTransaction(batch.tx, batch, command(cmd), answer);
}
