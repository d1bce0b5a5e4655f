// The one write path for item events, from HTTP and from the schedules alike. In one
// transaction: idempotency look-up, load, If-Match, step the machine, record overdue deadlines
// as breached, move personal text to the content store, commit the step, remember the
// response for the Idempotency-Key. Refusals are values and change nothing.
import { personalFields, type ItemEventBody } from '../../machines/item.events.ts';
import type { ItemMachineEvent } from '../../machines/item.machine.ts';
import { itemStepper, stepItem } from '../../machines/item.step.ts';
import type { Store } from '../client.ts';
import { storeContent } from '../items/contents.ts';
import type { ItemView } from '../items/item-view.ts';
import { breachOverdue, commitStep } from './item-step.ts';
import { viewInBatch } from '../items/items.ts';
import type { Actor } from '../ledger/ledger.ts';
import { keyRevoked, notFound, type Failure } from './outcome.ts';
import type { WriteBatch } from './write-batch.ts';

export interface ItemEventCommand {
  orgId: string;
  itemId: string;
  actor: Actor;
  event: ItemEventBody;
  /** The version the client saw (If-Match); null: no precondition. */
  ifMatch: number | null;
  /** Present when the client sent Idempotency-Key; scoped to the actor's key. */
  idempotency: { key: string; fingerprint: string } | null;
  /**
   * Set by the HTTP layer, which authenticates these writes from a cache: the actor's key must
   * still be unrevoked in the write's own transaction.
   */
  checkKey?: boolean;
  /** Extra ledger payload from the system (e.g. the thinning decision an automatic THIN follows). */
  annotations?: Record<string, unknown>;
  now: Date;
}

export type ItemEventResult = { ok: true; item: ItemView; replayed: boolean } | Failure;

export function applyItemEvent(store: Store, cmd: ItemEventCommand): Promise<ItemEventResult> {
  const keyId = cmd.actor.keyId;
  return store.writes.run((_tx, batch) => applyInTransaction(batch, cmd), {
    direct: false,
    prefetch: {
      itemIds: [cmd.itemId],
      idempotency: cmd.idempotency && keyId ? [{ keyId, key: cmd.idempotency.key }] : [],
      keyIds: cmd.checkKey && keyId ? [keyId] : [],
    },
  });
}

export async function applyInTransaction(batch: WriteBatch, cmd: ItemEventCommand): Promise<ItemEventResult> {
  const keyId = cmd.actor.keyId;
  if (cmd.checkKey && keyId && !(await batch.keyLive(keyId))) return keyRevoked;
  const idempotency = cmd.idempotency && keyId ? { ...cmd.idempotency, keyId } : null;
  if (idempotency) {
    const seen = await batch.idempotency(idempotency.keyId, idempotency.key);
    if (seen) {
      if (seen.fingerprint !== idempotency.fingerprint) {
        return { ok: false, code: 'idempotency_mismatch', detail: 'This Idempotency-Key was used with a different request.' };
      }
      const stored = seen.body as ItemEventResult;
      return stored.ok ? { ...stored, replayed: true } : stored;
    }
  }
  const result = await decide(batch, cmd);
  // The outcome is remembered, refusals included, so a retry gets the same answer; a missing
  // item is not (nothing was decided about it).
  if (idempotency && !(!result.ok && result.code === 'not_found')) {
    batch.addIdempotency({
      keyId: idempotency.keyId, key: idempotency.key, itemId: cmd.itemId, fingerprint: idempotency.fingerprint,
      applied: result.ok, body: result, createdAt: cmd.now.toISOString(),
    });
  }
  return result;
}

async function decide(batch: WriteBatch, cmd: ItemEventCommand): Promise<ItemEventResult> {
  const row = await batch.item(cmd.orgId, cmd.itemId);
  if (!row) return notFound('Item');
  if (cmd.ifMatch !== null && cmd.ifMatch !== row.version) {
    return { ok: false, code: 'precondition_failed', detail: `The item is at version ${row.version}, not ${cmd.ifMatch}.`, current: row.version };
  }
  const snapshot = itemStepper.restore({ value: row.state, context: row.context });
  const unknown = unknownCategories(cmd.event, snapshot.context.rules.categories);
  if (unknown.length > 0) {
    return {
      ok: false, code: 'invalid', detail: 'Unknown categories for this organisation\'s policy.',
      errors: unknown.map((path) => ({ path, message: 'not a category of the policy' })),
    };
  }
  const { machineEvent, personal } = splitPersonal(cmd.event);
  const accepted = stepItem(snapshot, machineEvent);
  if (!accepted.ok) return accepted;

  // Only now that the step will happen: deadlines already missed are recorded first, in order.
  const at = cmd.now.toISOString();
  const policy = await batch.policy(cmd.orgId);
  const { row: current, breached } = await breachOverdue(batch, row, policy, at);
  // A breach moved the item on: step again from where it now stands.
  const outcome = breached === 0 ? accepted : stepItem(itemStepper.restore({ value: current.state, context: current.context }), machineEvent);
  if (!outcome.ok) return outcome;

  const payload: Record<string, unknown> = { ...machineEvent, ...cmd.annotations };
  delete payload.type;
  for (const [field, value] of Object.entries(personal)) {
    payload[`${field}Sha256`] = storeContent(batch, {
      orgId: cmd.orgId, itemId: row.id, role: 'event', at, body: { event: cmd.event.type, [field]: value },
    });
  }
  if (cmd.event.type === 'CAPTURE_EVIDENCE' && !cmd.event.evidenceSha256) {
    // AV-7: save the content and the sender's details as they stand now.
    const content = await batch.content(row.contentHash);
    payload.evidenceSha256 = storeContent(batch, {
      orgId: cmd.orgId, itemId: row.id, role: 'evidence', at, body: { capturedAt: at, ...(content?.body ?? {}) },
    });
  }

  const updated = await commitStep(batch, { row: current, next: outcome.snapshot, type: cmd.event.type, actor: cmd.actor, at, payload, policy });
  return { ok: true, item: await viewInBatch(batch, updated), replayed: false };
}

/** The machine sees the event without its personal free text; that text goes to the content store. */
function splitPersonal(event: ItemEventBody) {
  const fields = personalFields[event.type] ?? [];
  const machineEvent: Record<string, unknown> = {};
  const personal: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (value === undefined) continue;
    if (fields.includes(key)) personal[key] = value;
    else machineEvent[key] = value;
  }
  return { machineEvent: machineEvent as ItemMachineEvent, personal };
}

function unknownCategories(event: ItemEventBody, known: readonly string[]): string[] {
  if (event.type !== 'ASSESS' && event.type !== 'UNPUBLISH') return [];
  return event.categories.flatMap((category, i) => (known.includes(category) ? [] : [`categories.${i}`]));
}
