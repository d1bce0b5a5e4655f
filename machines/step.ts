// One step of any Diarium machine as a value: accepted with the next snapshot, or refused with
// the reason. XState silently ignores an event that is not allowed; this turns that into an answer.
// Pure: no I/O, no clock.
import { createActor, type AnyMachineSnapshot, type InputFrom, type AnyStateMachine, type EventFromLogic, type SnapshotFrom } from 'xstate';
import type { Effect } from './effects.ts';
import type { Refusal } from './item.rules.ts';
import { contextText } from './json-text.ts';

export type StepOutcome<S> =
  | { ok: true; snapshot: S; effects: Effect[] }
  | { ok: false; code: 'not_allowed'; detail: string; allowed: string[] }
  | { ok: false; code: 'refused'; rule: string; detail: string; allowed: string[] };

export interface Stepper<M extends AnyStateMachine> {
  /** The initial snapshot for `input`, as XState's initialTransition gives it. */
  start(input: InputFrom<M>): SnapshotFrom<M>;
  /** The events a client could send now (system-only events excluded). */
  allowed(snapshot: SnapshotFrom<M>): string[];
  /** The next snapshot and the step's effects; `event` is what the machine sees (no personal text). */
  step(snapshot: SnapshotFrom<M>, event: EventFromLogic<M>): StepOutcome<SnapshotFrom<M>>;
  restore(stored: { value: unknown; context: unknown }): SnapshotFrom<M>;
}

export function createStepper<M extends AnyStateMachine>(spec: {
  machine: M;
  /** The same machine with its rule guards passing. */
  withoutRules: M;
  /** The rule that refuses `event` given the snapshot's context, if one does. */
  refusal: (context: SnapshotFrom<M>['context'], event: EventFromLogic<M>) => Refusal | null;
  clientEvents: readonly string[];
  /** What an accepted event asks of the world, given the snapshots before and after it. */
  effects?: (event: EventFromLogic<M>, before: SnapshotFrom<M>, after: SnapshotFrom<M>) => Effect[];
}): Stepper<M> {
  const effectsOf = spec.effects ?? (() => []);
  // Restoring, starting and listing the allowed events are pure functions of stored JSON, and each
  // costs a whole resolution or transition (measured: together over a third of a step's CPU). The
  // same states and contexts recur across items, so the answers are remembered. Snapshots are
  // never mutated (XState makes a new one per transition), so one may serve many items.
  // JSON text has no raw line break, so the line break keeps value and context apart.
  const stateKey = (stored: { value: unknown; context: unknown }) => `${JSON.stringify(stored.value)}\n${contextText(stored.context)}`;
  // A snapshot is ~2 KiB: 2,000 of them bound the memo to ~4 MB.
  const restore = remembered(stateKey, (stored: { value: unknown; context: unknown }) =>
    spec.machine.resolveState({ value: stored.value as never, context: stored.context as never }) as SnapshotFrom<M>, 2_000);
  const allowedTypes = remembered(stateKey, (snapshot: AnyMachineSnapshot) =>
    spec.clientEvents.filter((type) => snapshot.can({ type })));
  const allowed = (snapshot: SnapshotFrom<M>) => [...allowedTypes(snapshot as AnyMachineSnapshot)];

  // XState's transition() builds a throwaway actor for every call (measured: ~100 µs, most of a
  // step). Our machines spawn no actors and their only actions are assigns, applied during the
  // transition itself, so one inert scope, made once like XState's own, serves every step.
  const self = createActor(spec.machine);
  const scope = {
    self, system: self.system, id: '', sessionId: '',
    defer: () => {}, logger: () => {}, stopChild: () => {}, emit: () => {}, actionExecutor: () => {},
  } as unknown as Parameters<M['transition']>[2];

  return {
    start: remembered((input) => JSON.stringify(input), (input: InputFrom<M>) => spec.machine.getInitialSnapshot(scope, input) as SnapshotFrom<M>, 2_000),
    allowed,
    restore,
    step(current, event) {
      const snapshot = current as AnyMachineSnapshot;
      // XState answers the very snapshot it was given when no transition is enabled, and a new one
      // when one is (every transition of ours has a target or an action). Asking can() first made
      // XState select the transitions twice (measured: a fifth of a step).
      const next = spec.machine.transition(current, event, scope);
      if (next !== current) return { ok: true, snapshot: next as SnapshotFrom<M>, effects: effectsOf(event, current, next as SnapshotFrom<M>) };
      const possibleWithoutRules = spec.withoutRules
        .resolveState({ value: snapshot.value, context: snapshot.context })
        .can(event);
      const refusal = possibleWithoutRules ? spec.refusal(snapshot.context, event) : null;
      if (refusal) return { ok: false, code: 'refused', ...refusal, allowed: allowed(current) };
      return {
        ok: false,
        code: 'not_allowed',
        detail: `${event.type} is not allowed in state ${JSON.stringify(snapshot.value)}.`,
        allowed: allowed(current),
      };
    },
  };
}

/** A bounded memo of a pure function, by a key of its argument; cleared whole when full. */
function remembered<A, R>(key: (arg: A) => string, compute: (arg: A) => R, limit = 10_000): (arg: A) => R {
  const memo = new Map<string, R>();
  return (arg) => {
    const k = key(arg);
    let value = memo.get(k);
    if (value === undefined) {
      value = compute(arg);
      if (memo.size >= limit) memo.clear();
      memo.set(k, value);
    }
    return value;
  };
}
