// A policy in words for an officer: each obligation as a sentence with the rule it rests on. Pure.
import { countryCalendars } from '../../machines/policy/countries.ts';
import type { Policy, Window } from '../../machines/policy/policy.schema.ts';
import { ruleTextOf } from './rule-text-of.ts';

export interface Obligation {
  what: string;
  rule: string | null;
  /** The rule's text: the organisation's own, else RULES.md's. */
  text: string | null;
  /** Why a value the guideline does not give was chosen (chosenDefaults). */
  chosen?: string | undefined;
}

export interface PolicyInWords {
  calendar: string[];
  windows: Obligation[];
  registration: Obligation[];
  removal: Obligation[];
  thinning: Obligation[];
  accounts: Obligation[];
}

export function windowInWords(window: Window): string {
  if ('endOfWeekday' in window) {
    return window.endOfWeekday === 0 ? 'by the end of the day of receipt (or of the next weekday)' : `by 24:00 of the ${ordinal(window.endOfWeekday)} weekday after receipt`;
  }
  return window.on === 'clock' ? `within ${window.hours} hours on the clock` : `within ${window.hours} hours counted on weekdays only`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

export function policyInWords(policy: Policy): PolicyInWords {
  const ob = (what: string, rule: string | null, chosenPath?: string): Obligation => ({
    what, rule, text: rule ? ruleTextOf(policy, rule) : null, chosen: chosenPath ? policy.chosenDefaults[chosenPath] : undefined,
  });
  const calendar = countryCalendars[policy.country];
  const { registration: reg, removal, thinning, accounts } = policy;
  return {
    calendar: [
      `Weekdays are Monday to Friday in ${policy.timeZone}, without ${policy.country}'s public holidays.`,
      ...calendar.extra.map((day) => `${day.name} is not a weekday either: ${day.reason}.`),
      calendar.note,
    ],
    windows: (['assess', 'answer', 'remove'] as const).map((kind) =>
      ob(`${kind[0]!.toUpperCase()}${kind.slice(1)} ${windowInWords(policy.windows[kind])}.`, null, `windows.${kind}`)),
    registration: [
      ...(reg.allItems ? [ob('Every item is registered.', reg.allItems)] : []),
      ...reg.byCategory.map((entry) => ob(`An item assessed "${entry.category}" is registered.`, entry.rule)),
      ob('When the officer decides an item must be registered, the decision binds: it is not thinned and waits for its number.', reg.decisionRule),
      ...Object.entries(reg.proposeByKind).map(([kind, proposal]) => ob(`A ${kind.replace('_', ' ')} is proposed as registration ${proposal.replace('_', ' ')}; the officer decides.`, null)),
    ],
    removal: [
      ob('The content and its author are captured before an item is removed.', removal.evidenceRule),
      ...(removal.registerFirst ? [ob('The item is registered before it is removed.', removal.registerFirst)] : []),
      ...(removal.notifyAuthorFirst ? [ob('The author is messaged first, where the platform allows it.', removal.notifyAuthorFirst)] : []),
      ...(removal.sendToRegistrarFirst ? [ob('The evidence goes with the reason to the unit\'s registrar before removal.', removal.sendToRegistrarFirst)] : []),
      ob(`Prohibited: ${policy.categories.prohibited.join(', ').replaceAll('_', ' ')}.`, policy.categories.rule),
      ...(policy.assessment.secretMustBeRemoved ? [ob('Secret content is removed where the platform can remove it.', policy.assessment.secretMustBeRemoved)] : []),
    ],
    thinning: [
      ob(thinning.afterMonths === null ? 'Items are not thinned by age.' : `Items of temporary value, not registered and handled, are thinned ${thinning.afterMonths} months after receipt.`, thinning.rule, 'thinning.afterMonths'),
      ...(thinning.directMessagesAfterClose ? [ob('Direct messages are thinned once the conversation is closed and what should be kept is registered.', thinning.rule)] : []),
    ],
    accounts: [
      ob(`A channel is approved by decision${accounts.requireSubstitute ? ', with a substitute' : ''}.`, accounts.approvalRule),
      ob(`At least ${accounts.minAdmins} administrator${accounts.minAdmins === 1 ? '' : 's'} per account.`, accounts.minAdminsRule),
      ob(`An account without an own post for ${accounts.inactivityDays} days is reviewed.`, accounts.inactivityRule, 'accounts.inactivityDays'),
      ...(accounts.monitoring ? [ob(`Channels${accounts.monitoring.onlyWhereRemovable ? ' where posts can be removed' : ''} are watched every weekday.`, accounts.monitoring.rule)] : []),
      ...(accounts.snapshots ? [ob(`A snapshot of each channel is saved in each period starting in month ${accounts.snapshots.months.join(', ')}${accounts.snapshots.format ? ` as ${accounts.snapshots.format.toUpperCase()}` : ''}.`, accounts.snapshots.rule)] : []),
    ],
  };
}
