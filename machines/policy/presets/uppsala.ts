// Uppsala kommun (SE, 2022): seeds/003_2cd6e92364493301.txt. Values marked "chosen" are not in the guideline.
import type { Policy } from '../policy.schema.ts';
import { platformCapabilities } from '../platforms.ts';

export const uppsala: Policy = {
  name: 'Uppsala kommun',
  country: 'SE',
  timeZone: 'Europe/Stockholm',
  rules: [], // cites RULES.md's ids only
  windows: {
    assess: { endOfWeekday: 1 }, // chosen: UP-1 "quickly"
    answer: { endOfWeekday: 1 }, // chosen: UP-1 "quickly"
    remove: { endOfWeekday: 1 }, // chosen: UP-4 gives no time
  },
  categories: {
    prohibited: [
      'threat', 'defamation', 'personal_attack', 'hate_speech', 'harassment', 'unlawful_depiction',
      'incitement', 'copyright', 'profanity', 'commercial', 'spam', 'disinformation', 'fake_account',
      'sensitive_personal_data',
    ],
    rule: 'UP-3',
  },
  assessment: { politicalNotAnswered: null, secretMustBeRemoved: null },
  registration: { allItems: 'UP-8', byCategory: [], decisionRule: 'UP-8', proposeByKind: {} },
  // UP-4: message the author, take a snapshot, send it with the reason to the registrar, then remove.
  removal: { evidenceRule: 'UP-4', registerFirst: null, notifyAuthorFirst: 'UP-4', sendToRegistrarFirst: 'UP-4' },
  // UP-7: Swedish and English need no cover; another language needs someone for at least a week.
  outbound: { personalDataRule: null, siteLinkRule: null, consentRule: null, languageCover: { rule: 'UP-7', languages: ['sv', 'en'], days: 7 } },
  // UP-8 registers every item, so nothing is ever thinned by age.
  thinning: { afterMonths: null, rule: 'UP-8', directMessagesAfterClose: false },
  accounts: {
    approvalRule: 'UP-6',
    requireSubstitute: false, // chosen
    minAdmins: 1, // chosen
    minAdminsRule: 'UP-6',
    inactivityDays: 30, // chosen
    inactivityRule: 'UP-6',
    profile: {}, // Uppsala names no profile items
    monitoring: null, // UP-1 sets answer speed, not a watch interval
    snapshots: { rule: 'UP-10', months: [4, 9], format: null }, // UP-10: April and September
    surge: null,
  },
  platforms: platformCapabilities,
  chosenDefaults: {
    'accounts.monitoring': 'Uppsala sets no watch interval: no monitoring check, the assess deadline stands',
    'windows.assess': 'UP-1 says "quickly": end of the first weekday after receipt',
    'windows.answer': 'UP-1 says "quickly": end of the first weekday after receipt',
    'windows.remove': 'UP-4 gives no time: end of the first weekday after receipt',
    'accounts.requireSubstitute': 'Uppsala does not ask for a substitute',
    'accounts.minAdmins': 'Uppsala sets no number of administrators',
    'accounts.inactivityDays': 'UP-6 takes inactive accounts off the list without a number: thirty days',
  },
};
