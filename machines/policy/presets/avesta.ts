// Avesta kommun (SE, 2018): seeds/000_3b2d7b28cd53b5aa.txt. Values marked "chosen" are not in the guideline.
import type { Policy } from '../policy.schema.ts';
import { platformCapabilities } from '../platforms.ts';

export const avesta: Policy = {
  name: 'Avesta kommun',
  country: 'SE',
  timeZone: 'Europe/Stockholm',
  rules: [], // cites RULES.md's ids only
  windows: {
    assess: { endOfWeekday: 1 }, // AV-6: supervised every weekday
    answer: { endOfWeekday: 1 }, // chosen: AV-5 "promptly"
    remove: { endOfWeekday: 1 }, // chosen: AV-7 "promptly"
  },
  categories: {
    prohibited: [
      'defamation', 'personal_attack', 'hate_speech', 'harassment', 'unlawful_depiction',
      'incitement', 'copyright', 'profanity', 'commercial',
    ],
    rule: 'AV-9',
  },
  assessment: { politicalNotAnswered: null, secretMustBeRemoved: 'AV-8' },
  registration: {
    allItems: null,
    byCategory: [{ category: 'secret', rule: 'AV-8' }],
    decisionRule: 'AV-12',
    proposeByKind: { direct_message: 'required' }, // AV-12: "as a rule" — a proposal only
  },
  removal: { evidenceRule: 'AV-7', registerFirst: null, notifyAuthorFirst: null, sendToRegistrarFirst: null },
  // AV-4: own posts carry no identity numbers nor offence data, and sensitive data only with consent.
  outbound: { personalDataRule: 'AV-4', siteLinkRule: null, consentRule: null, languageCover: null },
  thinning: { afterMonths: 6, rule: 'AV-14', directMessagesAfterClose: true },
  accounts: {
    approvalRule: 'AV-1',
    requireSubstitute: true, // AV-5: a designated substitute
    minAdmins: 1, // chosen
    minAdminsRule: 'AV-1',
    inactivityDays: 30, // chosen
    inactivityRule: 'AV-14', // chosen: "when the channel is no longer used"
    profile: { logo: 'AV-3', siteLink: 'AV-3', contact: 'AV-3', publicRecordsNotice: 'AV-10' },
    monitoring: { rule: 'AV-6', onlyWhereRemovable: true }, // AV-6: where posts can be removed
    snapshots: { rule: 'AV-11', months: [1], format: null }, // AV-11: once a year (chosen: the calendar year)
    surge: null, // Avesta has no surge rule
  },
  platforms: platformCapabilities,
  chosenDefaults: {
    'accounts.inactivityRule': 'Avesta has no review rule; AV-14 speaks of channels no longer used',
    'accounts.snapshots.months': 'AV-11 says once a year: the calendar year, from January',
    'windows.answer': 'AV-5 says "promptly": end of the first weekday after receipt',
    'windows.remove': 'AV-7 says "promptly": end of the first weekday after receipt',
    'accounts.minAdmins': 'Avesta names a responsible person and a substitute, not a number of administrators',
    'accounts.inactivityDays': 'Avesta sets no inactivity threshold: thirty days',
  },
};
