// Which deadlines an accepted item event opens, meets or cancels. Pure: the due instants are
// computed by the caller from the policy's windows and the business-time calendar.
// AV-6, TI-2: every inbound item is assessed by the end of the next weekday.
// TI-6 (and the presets' chosen defaults): items to answer or forward have an answer deadline.
// TI-14 (and defaults): items to unpublish have a removal deadline.
import type { Decision } from './item.rules.ts';

export const deadlineKinds = ['assess', 'answer', 'remove'] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];
export const deadlineStatuses = ['open', 'met', 'breached', 'cancelled'] as const;
export type DeadlineStatus = (typeof deadlineStatuses)[number];

export interface DeadlineChange {
  kind: DeadlineKind;
  change: 'open' | 'meet' | 'cancel';
}

/** The deadline an assessment decision calls for; the other decision-bound kind is cancelled. */
const byDecision: Record<Decision, DeadlineKind | null> = {
  answer: 'answer',
  forward: 'answer', // TI-6: a forwarded item keeps its answer deadline
  unpublish: 'remove',
  no_action: null,
};

export function deadlineChanges(
  event: { type: string; decision?: Decision },
  item: { direction: string },
): DeadlineChange[] {
  switch (event.type) {
    case 'RECEIVED':
      return item.direction === 'inbound' ? [{ kind: 'assess', change: 'open' }] : [];
    case 'ASSESS': {
      const wanted = event.decision ? byDecision[event.decision] : null;
      return [
        { kind: 'assess', change: 'meet' },
        ...(['answer', 'remove'] as const).map((kind): DeadlineChange => ({ kind, change: kind === wanted ? 'open' : 'cancel' })),
      ];
    }
    case 'ANSWER':
      return [{ kind: 'answer', change: 'meet' }];
    case 'UNPUBLISH':
      return [{ kind: 'remove', change: 'meet' }];
    case 'THIN':
      return deadlineKinds.map((kind) => ({ kind, change: 'cancel' }));
    default:
      return [];
  }
}
