// Tibro kommun (SE, 2021): seeds/002_b1923a46a51a298f.txt. Values marked "chosen" are not in the guideline.
import type { Policy } from '../policy.schema.ts';
import { platformCapabilities } from '../platforms.ts';

export const tibro: Policy = {
  name: 'Tibro kommun',
  country: 'SE',
  timeZone: 'Europe/Stockholm',
  rules: [], // cites RULES.md's ids only
  windows: {
    assess: { endOfWeekday: 1 }, // TI-2: watched every weekday
    answer: { hours: 48, on: 'weekdays' }, // TI-6
    remove: { hours: 48, on: 'clock' }, // TI-14
  },
  categories: {
    prohibited: [
      'defamation', 'personal_attack', 'hate_speech', 'harassment', 'unlawful_depiction',
      'incitement', 'criminal_information', 'secret_documents', 'sensitive_personal_data',
      'images_without_consent', 'copyright', 'commercial',
    ],
    rule: 'TI-15',
  },
  assessment: { politicalNotAnswered: 'TI-9', secretMustBeRemoved: 'TI-14' },
  registration: {
    allItems: null,
    byCategory: [{ category: 'secret', rule: 'TI-14' }],
    decisionRule: 'TI-11',
    proposeByKind: {},
  },
  removal: { evidenceRule: 'TI-14', registerFirst: 'TI-14', notifyAuthorFirst: null, sendToRegistrarFirst: null },
  // chosen: TI-15 forbids sensitive data about individuals and images without consent in others' posts;
  // the municipality's own posts are held to the same.
  outbound: { personalDataRule: 'TI-15', siteLinkRule: null, consentRule: 'TI-15', languageCover: null },
  thinning: { afterMonths: 6, rule: 'TI-13', directMessagesAfterClose: false },
  accounts: {
    approvalRule: 'TI-1',
    requireSubstitute: true, // TI-1
    minAdmins: 2, // TI-4
    minAdminsRule: 'TI-4',
    inactivityDays: 7, // TI-5: "at least once a week"
    inactivityRule: 'TI-5',
    profile: { contact: 'TI-2', moderationNotice: 'TI-16' }, // TI-2 publishes contact and moderation rules
    monitoring: { rule: 'TI-2', onlyWhereRemovable: false }, // TI-2: watches the channel every weekday
    snapshots: { rule: 'TI-12', months: [1, 7], format: 'pdf/a-1' }, // TI-12: half-yearly, PDF/A-1
    surge: { rule: 'TI-8', threshold: 10, windowHours: 24 }, // TI-8: "many" is chosen
  },
  platforms: platformCapabilities,
  chosenDefaults: {
    'outbound.personalDataRule': 'Tibro sets no rule for own posts: TI-15 (sensitive information about individuals) applies to them too',
    'outbound.consentRule': 'Tibro sets no rule for own posts: TI-15 (images of identifiable people only with consent) applies to them too',
    'accounts.surge.threshold': 'TI-8 says "many critical comments": more than ten within 24 hours',
    'accounts.snapshots.months': 'TI-12 says every half year: periods from January and July',
    'thinning.directMessagesAfterClose': 'Tibro has no rule for direct messages: they are thinned by age like other items',
  },
};
