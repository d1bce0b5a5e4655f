// The one write path: any event of any item or account, from HTTP, the pages or a schedule,
// becomes durable here, in the write queue's transaction: key check, idempotency look-up, load,
// If-Match, complete the event, step the machine version the row records, record what fell due
// first, apply the step's effects, save the row, chain the event, remember the answer for the
// Idempotency-Key. Refusals are values and change nothing. Nothing here knows an event type: the
// machine version (machines/registry.ts) says what an event means and what it asks of the world.
import type { Effect } from '../../machines/effects.ts';
import { machineVersion, newestVersion, splitPersonal, type MachineEvent, type Subject } from '../../machines/registry.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import type { Store, Tx } from '../client.ts';
import { appendEvent, systemActor, type Actor } from '../ledger/ledger.ts';
import { applyEffects, type EffectScope } from './apply-effects.ts';
import { keyRevoked, notFound, type Failure } from './outcome.ts';
import { storeOf, type SteppedRow } from './subjects.ts';
import type { Prefetch, WriteBatch } from './write-batch.ts';

export interface EventCommand {
  subject: Subject;
  orgId: string;
  id: string;
  actor: Actor;
  /** As the client or the job sent it, personal free text included; the write path stamps its instant. */
  event: MachineEvent;
  /** The version the client saw (If-Match); null: no precondition. */
  ifMatch: number | null;
  /** Present when the client sent Idempotency-Key; scoped to the actor's key. */
  idempotency?: { key: string; fingerprint: string } | null;
  /**
   * Set by the HTTP layer, which authenticates writes from a cache: the actor's key must still be
   * unrevoked in the write's own transaction.
   */
  checkKey?: boolean;
  /** Ledger facts beside the event's own fields (never personal data), e.g. the decision a scheduled THIN follows. */
  annotations?: Record<string, unknown>;
  /** Registry columns that change with the step (an account's AMEND). */
  columns?: Record<string, unknown>;
  now: Date;
}

/** What a caller makes of the saved row for its answer, inside the transaction (a view, the row). */
export type Answer<T> = (batch: WriteBatch, row: SteppedRow) => Promise<T>;
export type EventResult<T> = ({ ok: true; replayed: boolean } & T) | Failure;

export function applyEvent<T>(store: Store, cmd: EventCommand, answer: Answer<T>, prefetch: Prefetch = {}): Promise<EventResult<T>> {
  const keyId = cmd.actor.keyId;
  return store.writes.run((tx, batch) => applyEventInTransaction(tx, batch, cmd, answer), {
    // Items live in the batch; an account step writes its row at once, so the batch flushes around it.
    direct: cmd.subject !== 'item',
    prefetch: {
      ...prefetch,
      itemIds: cmd.subject === 'item' ? [cmd.id] : [],
      idempotency: cmd.idempotency && keyId ? [{ keyId, key: cmd.idempotency.key }] : [],
      keyIds: cmd.checkKey && keyId ? [keyId] : [],
    },
  });
}

export async function applyEventInTransaction<T>(tx: Tx, batch: WriteBatch, cmd: EventCommand, answer: Answer<T>): Promise<EventResult<T>> {
  const keyId = cmd.actor.keyId;
  if (cmd.checkKey && keyId && !(await batch.keyLive(keyId))) return keyRevoked;
  const idempotency = cmd.idempotency && keyId ? { ...cmd.idempotency, keyId } : null;
  if (idempotency) {
    const seen = await batch.idempotency(idempotency.keyId, idempotency.key);
    if (seen) {
      if (seen.fingerprint !== idempotency.fingerprint) {
        return { ok: false, code: 'idempotency_mismatch', detail: 'This Idempotency-Key was used with a different request.' };
      }
      const stored = seen.body as EventResult<T>;
      return stored.ok ? { ...stored, replayed: true } : stored;
    }
  }
  const step = await stepOnce(tx, batch, cmd);
  const result: EventResult<T> = step.ok ? { ok: true, replayed: false, ...(await answer(batch, step.row)) } : step;
  // The outcome is remembered, refusals included, so a retry gets the same answer; a missing
  // subject is not (nothing was decided about it).
  if (idempotency && !(!result.ok && result.code === 'not_found')) {
    batch.addIdempotency({
      keyId: idempotency.keyId, key: idempotency.key, itemId: cmd.id, fingerprint: idempotency.fingerprint,
      applied: result.ok, body: result, createdAt: cmd.now.toISOString(),
    });
  }
  return result;
}

type Stepped = { ok: true; row: SteppedRow } | Failure;

async function stepOnce(tx: Tx, batch: WriteBatch, cmd: EventCommand): Promise<Stepped> {
  const store = storeOf(cmd.subject);
  const row = await store.load(tx, batch, cmd.orgId, cmd.id);
  if (!row) return notFound(cmd.subject === 'item' ? 'Item' : 'Account');
  if (cmd.ifMatch !== null && cmd.ifMatch !== row.version) {
    return { ok: false, code: 'precondition_failed', detail: `The ${cmd.subject} is at version ${row.version}, not ${cmd.ifMatch}.`, current: row.version };
  }
  const at = cmd.now.toISOString();
  const policy = await batch.policy(cmd.orgId);
  const first = decide(row, cmd, policy, at);
  if (!first.ok) return first;
  // Only now that the step will happen: what fell due before it (an item's missed deadlines) is
  // recorded first, in order, and the event steps from where the subject then stands.
  const current = await recordDueSteps(tx, batch, cmd.subject, row, policy, cmd.now);
  const outcome = current === row ? first : decide(current, cmd, policy, at);
  if (!outcome.ok) return outcome;
  return { ok: true, row: await commit(tx, batch, cmd, current, outcome, policy, at) };
}

interface Decided {
  ok: true;
  type: string;
  next: { value: unknown; context: unknown };
  status: string;
  /** The ledger payload: the event's fields less its type and instant, with the annotations. */
  payload: Record<string, unknown>;
  effects: Effect[];
}

/** Steps the row's machine version; pure apart from reading the registry. */
function decide(row: SteppedRow, cmd: Pick<EventCommand, 'event' | 'annotations'>, policy: Policy, at: string): Decided | Failure {
  const version = machineVersion(row.machine);
  if (!version) throw new Error(`${row.id} records machine ${row.machine}, which this release does not know`);
  const snapshot = version.stepper.restore({ value: row.state, context: row.context });
  const prepared = version.prepare(cmd.event, { context: snapshot.context, policy, at });
  if (!prepared.ok) return prepared;
  const { event, effects: apart } = splitPersonal(version, prepared.event);
  const outcome = version.stepper.step(snapshot, { ...event, at });
  if (!outcome.ok) return outcome;
  const { type, ...fields } = event;
  const next = outcome.snapshot as { value: unknown; context: unknown };
  return { ok: true, type, next, status: version.status(next), payload: { ...fields, ...cmd.annotations }, effects: [...apart, ...outcome.effects] };
}

/** What committing a decided step needs of its command. */
type Committing = Pick<EventCommand, 'subject' | 'actor' | 'columns' | 'now'>;

async function commit(tx: Tx, batch: WriteBatch, cmd: Committing, row: SteppedRow, step: Decided, policy: Policy, at: string): Promise<SteppedRow> {
  const scope = effectScope(tx, batch, cmd, row, step, policy, at);
  await applyEffects(scope, step.effects, 'payload');
  const next: SteppedRow = {
    ...row, ...cmd.columns, status: step.status, state: step.next.value, context: step.next.context, version: row.version + 1, updatedAt: at,
  };
  await storeOf(cmd.subject).save(tx, batch, row, next);
  await appendEvent(batch, {
    orgId: row.orgId, subject: cmd.subject, subjectId: row.id, seq: next.version, type: step.type, actor: cmd.actor, at,
    machine: row.machine, from: row.state, to: step.next.value, payload: scope.payload,
  });
  await applyEffects(scope, step.effects, 'after');
  return next;
}

function effectScope(tx: Tx, batch: WriteBatch, cmd: Committing, row: SteppedRow, step: { type: string; payload: Record<string, unknown> }, policy: Policy, at: string): EffectScope {
  const facts = row as SteppedRow & { receivedAt?: string; contentHash?: string };
  return {
    tx, batch, orgId: row.orgId, subjectId: row.id, type: step.type, receivedAt: facts.receivedAt ?? null, contentHash: facts.contentHash ?? null,
    policy, actor: cmd.actor, at, now: cmd.now, payload: step.payload,
  };
}

/**
 * Records, as the system's steps, every event of the subject that fell due by `now` (an item's open
 * deadlines past due become DEADLINE_BREACHED, exactly once: the effect moves the deadline row off
 * `open` in the same transaction). Returns the row as it then stands.
 */
export async function recordDueSteps(tx: Tx, batch: WriteBatch, subject: Subject, row: SteppedRow, policy: Policy, now: Date): Promise<SteppedRow> {
  const at = now.toISOString();
  const cmd: Committing = { subject, actor: systemActor, now };
  let current = row;
  for (const event of await storeOf(subject).dueEvents(batch, row, at)) {
    const step = decide(current, { event }, policy, at);
    // A thinned item accepts nothing; its deadlines were cancelled when it was thinned.
    if (step.ok) current = await commit(tx, batch, cmd, current, step, policy, at);
  }
  return current;
}

/**
 * The first link of a new item or account: its row at the newest machine version, started from
 * `input`, the event that records the input (so replay needs nothing but the ledger), and the
 * first step's effects.
 */
export async function startSubject<R extends SteppedRow>(
  tx: Tx,
  batch: WriteBatch,
  cmd: {
    subject: Subject; actor: Actor; type: string; input: unknown; now: Date;
    row: Omit<R, 'machine' | 'status' | 'state' | 'context' | 'version' | 'updatedAt'>;
    payload: Record<string, unknown>;
  },
): Promise<R> {
  const version = newestVersion[cmd.subject];
  const snapshot = version.start(cmd.input);
  const at = cmd.now.toISOString();
  const row = {
    ...cmd.row, machine: version.id, status: version.status(snapshot), state: snapshot.value, context: snapshot.context, version: 1, updatedAt: at,
  } as unknown as R;
  await storeOf(cmd.subject).insert(tx, batch, row);
  const policy = await batch.policy(row.orgId);
  const payload = { ...cmd.payload, input: cmd.input };
  await appendEvent(batch, {
    orgId: row.orgId, subject: cmd.subject, subjectId: row.id, seq: 1, type: cmd.type, actor: cmd.actor, at,
    machine: version.id, from: null, to: snapshot.value, payload,
  });
  const scope = effectScope(tx, batch, cmd, row, { type: cmd.type, payload }, policy, at);
  await applyEffects(scope, version.startEffects(cmd.input), 'after');
  return row;
}

/**
 * Moves a live subject to another machine version: its row names the new version and holds the
 * migrated snapshot, and one link (type MIGRATED or UPGRADED, machine = the new version) carries
 * the new context, which replay restores. `row` must be read in this transaction.
 */
export async function commitMigration(
  tx: Tx,
  batch: WriteBatch,
  cmd: { subject: Subject; row: SteppedRow; to: string; type: 'MIGRATED' | 'UPGRADED' | 'POLICY_APPLIED'; next: { value: unknown; context: unknown }; payload: Record<string, unknown>; now: Date },
): Promise<SteppedRow> {
  const version = machineVersion(cmd.to);
  if (!version || version.subject !== cmd.subject) throw new Error(`no ${cmd.subject} machine ${cmd.to}`);
  const at = cmd.now.toISOString();
  const next: SteppedRow = {
    ...cmd.row, machine: version.id, status: version.status(cmd.next), state: cmd.next.value, context: cmd.next.context,
    version: cmd.row.version + 1, updatedAt: at,
  };
  await storeOf(cmd.subject).save(tx, batch, cmd.row, next);
  await appendEvent(batch, {
    orgId: next.orgId, subject: cmd.subject, subjectId: next.id, seq: next.version, type: cmd.type, actor: systemActor, at,
    machine: version.id, from: cmd.row.state, to: cmd.next.value, payload: { ...cmd.payload, context: cmd.next.context },
  });
  return next;
}
