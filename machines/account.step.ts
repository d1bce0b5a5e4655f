// The account machine as the rest of Diarium uses it: start, restore, step, status, allowed events,
// and the versions replay knows. Pure: no I/O, no clock.
import type { SnapshotFrom } from 'xstate';
import { accountClientEvents } from './account.events.ts';
import {
  accountMachine, accountMachineVersion, accountMachineWithoutRules, type AccountInput, type AccountStatus,
} from './account.machine.ts';
import { approveRefusal, closeRefusal, snapshotRefusal } from './account.rules.ts';
import { accountV1Stepper, accountV1Version, startAccountV1, type AccountV1Input } from './account.v1.machine.ts';
import { createStepper, type Stepper } from './step.ts';

export type AccountSnapshot = SnapshotFrom<typeof accountMachine>;

export const accountStepper = createStepper({
  machine: accountMachine,
  withoutRules: accountMachineWithoutRules,
  clientEvents: accountClientEvents,
  // AV-6, TI-2: a watched day is recorded beside the account, where the monitoring check reads it.
  effects: (event) => (event.type === 'MONITORED' ? [{ type: 'monitored-day', day: event.day }] : []),
  refusal(context, event) {
    switch (event.type) {
      case 'APPROVE': return approveRefusal(context.facts, context.rules);
      case 'SNAPSHOT': return snapshotRefusal(context.rules, event.format);
      case 'CLOSE': return closeRefusal(context.finalSnapshot);
      default: return null;
    }
  },
});

export function startAccount(input: AccountInput): AccountSnapshot {
  return accountStepper.start(input);
}

/**
 * The statuses whose state carries `tag` in the chart: `live` (on its platform and watched:
 * the account jobs visit these) and `receiving` (items are received on it).
 */
export function accountStatusesTagged(tag: 'live' | 'receiving'): AccountStatus[] {
  return Object.entries(accountMachine.states)
    .filter(([, node]) => node.tags.includes(tag))
    .map(([status]) => status as AccountStatus);
}

export function accountStatus(snapshot: { value: unknown }): AccountStatus {
  return snapshot.value as AccountStatus;
}

interface AccountVersion {
  start(input: unknown): { value: unknown; context: unknown };
  stepper: Stepper<never>;
}

/** Machine versions that recorded events may name; replay runs each event under its own. */
export const accountMachines: Record<string, AccountVersion> = {
  [accountV1Version]: {
    start: (input) => startAccountV1(input as AccountV1Input),
    stepper: accountV1Stepper as unknown as Stepper<never>,
  },
  [accountMachineVersion]: {
    start: (input) => startAccount(input as AccountInput),
    stepper: accountStepper as unknown as Stepper<never>,
  },
};

/**
 * Client events the current chart takes in this state but a rule refuses now (e.g. CLOSE before
 * the final snapshot, AV-13): a page offers them to say which rule stands in the way. Asked of
 * the machine with and without its rule guards, so no list of such events is kept anywhere.
 */
export function accountEventsRefusedNow(stored: { machine: string; value: unknown; context: unknown }): string[] {
  if (stored.machine !== accountMachineVersion) return [];
  const withRules = accountStepper.restore({ value: stored.value, context: stored.context });
  const withoutRules = accountMachineWithoutRules.resolveState({ value: stored.value as never, context: stored.context as never });
  return accountClientEvents.filter((type) => withoutRules.can({ type } as never) && !withRules.can({ type } as never));
}
