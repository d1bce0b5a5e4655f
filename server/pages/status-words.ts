// An item's status and its deadlines' kinds as an officer says them, for the lists that show
// many items at once (the item page has the machine's own names beside its chart).
import type { ItemStatus } from '../../machines/item.step.ts';

export const statusWords: Record<ItemStatus, string> = {
  received: 'Waiting for assessment',
  assessed: 'Assessed, next step open',
  answered: 'Answered',
  forwarded: 'Forwarded',
  unpublished: 'Removed from the channel',
  registered: 'Registered',
  thinned: 'Thinned (text erased)',
};

export const statusInWords = (status: string) => statusWords[status as ItemStatus] ?? status;

const deadlineWords: Record<string, string> = { assess: 'assessment', answer: 'answer', remove: 'removal' };

export const deadlineInWords = (kind: string) => deadlineWords[kind] ?? kind;
