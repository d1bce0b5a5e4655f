// account@1, frozen: the first account machine, which only decided and approved (TI-1, TI-4, LI-5).
// Kept so that events recorded under it replay under it; live accounts were upgraded to account@2
// by a recorded UPGRADED event (db/accounts/account-upgrade.ts). Never change this file. Pure.
import { assign, initialTransition, setup, type SnapshotFrom } from 'xstate';
import type { Refusal } from './item.rules.ts';
import type { RuleId } from './policy/policy.schema.ts';
import { createStepper } from './step.ts';

export const accountV1Version = 'account@1';

/** What approval needs to know, copied from the account's registry data and the policy. */
export interface AccountV1Input {
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
export type AccountV1Context = AccountV1Input & { approved: boolean };
type AccountV1Event = { type: 'APPROVE' };

function approveRefusal(context: AccountV1Context): Refusal | null {
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

export const accountV1Machine = setup({
  types: {} as { context: AccountV1Context; events: AccountV1Event; input: AccountV1Input },
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

export type AccountV1Snapshot = SnapshotFrom<typeof accountV1Machine>;

export const accountV1Stepper = createStepper({
  machine: accountV1Machine,
  withoutRules: accountV1Machine.provide({ guards: { approvePermitted: () => true } }),
  clientEvents: ['APPROVE'],
  refusal: (context, event) => (event.type === 'APPROVE' ? approveRefusal(context) : null),
});

export function startAccountV1(input: AccountV1Input): AccountV1Snapshot {
  return initialTransition(accountV1Machine, input)[0];
}
