// account@1: an official channel's lifecycle. This version decides and approves (TI-1, TI-4,
// LI-5); review, snapshots and closing arrive with the account-lifecycle work. Pure.
import { assign, initialTransition, setup, type SnapshotFrom } from 'xstate';
import type { Refusal } from './item.rules.ts';
import type { RuleId } from './policy/policy.schema.ts';
import { createStepper } from './step.ts';

export const accountMachineVersion = 'account@1';
export const accountStatuses = ['proposed', 'active', 'review_due', 'closed'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

/** What approval needs to know, copied from the account's registry data and the policy. */
export interface AccountInput {
  platform: string;
  hasPurpose: boolean;
  hasAudience: boolean;
  hasResponsible: boolean;
  hasSubstitute: boolean;
  adminCount: number;
  approvalRule: RuleId;
  requireSubstitute: boolean;
  minAdmins: number;
  minAdminsRule: RuleId;
}
export type AccountContext = AccountInput & { approved: boolean };
export type AccountMachineEvent = { type: 'APPROVE' };

export function approveRefusal(context: AccountContext): Refusal | null {
  const missing = [
    context.hasPurpose ? null : 'purpose',
    context.hasAudience ? null : 'audience',
    context.hasResponsible ? null : 'responsible person',
    context.requireSubstitute && !context.hasSubstitute ? 'substitute' : null,
  ].filter((field) => field !== null);
  if (missing.length > 0) {
    // TI-1: the decision states purpose, channel, audience and responsible person; a substitute is designated.
    return { rule: context.approvalRule, detail: `The channel decision lacks: ${missing.join(', ')}.` };
  }
  if (context.adminCount < context.minAdmins) {
    // TI-4: at least two people can administer every account.
    return { rule: context.minAdminsRule, detail: `At least ${context.minAdmins} administrators are required; ${context.adminCount} given.` };
  }
  return null;
}

export const accountMachine = setup({
  types: {} as { context: AccountContext; events: AccountMachineEvent; input: AccountInput },
  guards: { approvePermitted: ({ context }) => approveRefusal(context) === null },
  actions: { recordApproval: assign({ approved: true }) },
}).createMachine({
  id: 'account',
  initial: 'proposed',
  context: ({ input }) => ({ ...input, approved: false }),
  states: {
    proposed: {
      description: 'TI-1, LI-5: decided by the head of the unit, not yet approved',
      on: { APPROVE: { guard: 'approvePermitted', target: 'active', actions: 'recordApproval' } },
    },
    active: { description: 'Listed in the public channel register (TI-3, UP-6)' },
    review_due: { description: 'TI-5, UP-6: quiet too long; kept or closed' },
    closed: { description: 'AV-13: closed with its content saved' },
  },
});

export type AccountSnapshot = SnapshotFrom<typeof accountMachine>;

export const accountStepper = createStepper({
  machine: accountMachine,
  withoutRules: accountMachine.provide({ guards: { approvePermitted: () => true } }),
  clientEvents: ['APPROVE'],
  refusal: (context, event) => (event.type === 'APPROVE' ? approveRefusal(context) : null),
});

export function startAccount(input: AccountInput): AccountSnapshot {
  return initialTransition(accountMachine, input)[0];
}

export function accountStatus(snapshot: AccountSnapshot): AccountStatus {
  return snapshot.value as AccountStatus;
}
