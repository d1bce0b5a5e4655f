// One step of any Diarium machine as a value: accepted with the next snapshot, or refused with
// the reason. XState silently ignores an event that is not allowed; this turns that into an answer.
// Pure: no I/O, no clock.
import { createActor, type AnyMachineSnapshot, type InputFrom, type AnyStateMachine, type EventFromLogic, type SnapshotFrom } from 'xstate';
import type { Refusal } from './item.rules.ts';

export type StepOutcome<S> =
  | { ok: true; snapshot: S }
  | { ok: false; code: 'not_allowed'; detail: string; allowed: string[] }
  | { ok: false; code: 'refused'; rule: string; detail: string; allowed: string[] };

export interface Stepper<M extends AnyStateMachine> {
  /** The initial snapshot for `input`, as XState's initialTransition gives it. */
  start(input: InputFrom<M>): SnapshotFrom<M>;
  /** The events a client could send now (system-only events excluded). */
  allowed(snapshot: SnapshotFrom<M>): string[];
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
}): Stepper<M> {
  const restore = (stored: { value: unknown; context: unknown }) =>
    spec.machine.resolveState({ value: stored.value as never, context: stored.context as never }) as SnapshotFrom<M>;

  // Every item view lists its allowed events, and each probe is a whole transition (measured: a
  // fifth of a step's CPU). The answer depends on the state and context alone, and those repeat
  // across items, so it is remembered, within a bound.
  const remembered = new Map<string, readonly string[]>();
  const allowed = (snapshot: SnapshotFrom<M>) => {
    const key = JSON.stringify([(snapshot as AnyMachineSnapshot).value, (snapshot as AnyMachineSnapshot).context]);
    let types = remembered.get(key);
    if (!types) {
      types = spec.clientEvents.filter((type) => (snapshot as AnyMachineSnapshot).can({ type }));
      if (remembered.size >= 10_000) remembered.clear();
      remembered.set(key, types);
    }
    return [...types];
  };

  // XState's transition() builds a throwaway actor for every call (measured: ~100 µs, most of a
  // step). Our machines spawn no actors and their only actions are assigns, applied during the
  // transition itself, so one inert scope, made once like XState's own, serves every step.
  const self = createActor(spec.machine);
  const scope = {
    self, system: self.system, id: '', sessionId: '',
    defer: () => {}, logger: () => {}, stopChild: () => {}, emit: () => {}, actionExecutor: () => {},
  } as unknown as Parameters<M['transition']>[2];

  return {
    start: (input) => spec.machine.getInitialSnapshot(scope, input) as SnapshotFrom<M>,
    allowed,
    restore,
    step(current, event) {
      const snapshot = current as AnyMachineSnapshot;
      if (snapshot.can(event)) {
        const next = spec.machine.transition(current, event, scope);
        return { ok: true, snapshot: next as SnapshotFrom<M> };
      }
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
