// Lillesand kommune (NO, 2020): seeds/001_8989b50cbea8c864.txt. Values marked "chosen" are not in the guideline.
import type { Policy } from '../policy.schema.ts';
import { platformCapabilities } from '../platforms.ts';

export const lillesand: Policy = {
  name: 'Lillesand kommune',
  country: 'NO',
  timeZone: 'Europe/Oslo',
  rules: [], // cites RULES.md's ids only
  windows: {
    assess: { endOfWeekday: 1 }, // chosen: the same daily watch as the Swedish guidelines
    answer: { endOfWeekday: 2 }, // chosen: LI-2 asks for answers but gives no time
    remove: { endOfWeekday: 1 }, // chosen: LI-3 gives no time
  },
  categories: {
    prohibited: ['unlawful', 'personal_attack', 'harassment', 'unacceptable_language', 'personal_data'],
    rule: 'LI-3',
  },
  assessment: { politicalNotAnswered: null, secretMustBeRemoved: null },
  registration: { allItems: null, byCategory: [], decisionRule: 'LI-4', proposeByKind: {} },
  removal: { evidenceRule: 'LI-4', registerFirst: null, notifyAuthorFirst: null, sendToRegistrarFirst: null }, // chosen: LI-4 keeps what is worth archiving
  // LI-1: every post links to the municipality's site; LI-6: consent for images, no client relationship.
  outbound: { personalDataRule: null, siteLinkRule: 'LI-1', consentRule: 'LI-6', languageCover: null },
  thinning: { afterMonths: 6, rule: 'LI-4', directMessagesAfterClose: false }, // chosen: simple communication is not archived
  accounts: {
    approvalRule: 'LI-5',
    requireSubstitute: false, // chosen
    minAdmins: 1, // chosen
    minAdminsRule: 'LI-5',
    inactivityDays: 30, // chosen
    inactivityRule: 'LI-5', // chosen
    profile: {}, // Lillesand names no profile items
    monitoring: null, // Lillesand sets no watch interval; the assess deadline covers it
    snapshots: null, // Lillesand asks for no channel snapshots
    surge: null,
  },
  platforms: platformCapabilities,
  chosenDefaults: {
    'accounts.inactivityRule': 'Lillesand has no review rule; LI-5 governs closing accounts',
    'accounts.monitoring': 'Lillesand sets no watch interval: no monitoring check, the assess deadline stands',
    'windows.assess': 'Lillesand sets no watch interval: end of the first weekday, as AV-6 and TI-2',
    'windows.answer': 'LI-2 gives no time: end of the second weekday after receipt',
    'windows.remove': 'LI-3 gives no time: end of the first weekday after receipt',
    'removal.evidenceRule': 'LI-4: what is worth archiving is extracted before it leaves the channel',
    'thinning.afterMonths': 'LI-4 says simple communication is not archived: thinned after six months',
    'accounts.requireSubstitute': 'Lillesand does not ask for a substitute',
    'accounts.minAdmins': 'Lillesand sets no number of administrators',
    'accounts.inactivityDays': 'Lillesand sets no inactivity threshold: thirty days',
  },
};
