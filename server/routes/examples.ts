// Example request bodies for the JSON routes, shown by /docs (Swagger UI) beside each schema so an
// integrator sees a real request, not only its types. test/server/openapi.http.test.ts checks that
// every example passes its route's own zod schema, so an example cannot drift from the contract.
const accountId = '01a24e6a-6c5a-71fb-bf84-cd5589e77861';

type Examples = Record<string, { summary: string; value: Record<string, unknown> }>;

export const newItemExamples: Examples = {
  comment: {
    summary: 'A resident\'s comment on a post',
    value: {
      accountId, externalId: 'fb-1001', kind: 'comment', direction: 'inbound', author: { handle: 'resident', name: 'A Resident' },
      text: 'When does the library open on Sundays?', url: 'https://facebook.com/tibrokommun/posts/1001', receivedAt: '2026-12-07T09:00:00Z',
    },
  },
  post: {
    summary: 'The municipality\'s own post',
    value: { accountId, externalId: 'fb-2001', kind: 'post', direction: 'outbound', author: { handle: 'tibrokommun' }, text: 'The library opens on Sundays from 6 December.' },
  },
};

export const itemEventExamples: Examples = {
  assess: { summary: 'ASSESS (officer)', value: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required', note: 'Opening hours' } },
  answer: { summary: 'ANSWER (officer)', value: { type: 'ANSWER', text: 'Sundays 12–16, from 6 December.' } },
  refer: { summary: 'REFER (officer, item@2)', value: { type: 'REFER', to: 'The regional transport authority' } },
  register: { summary: 'REGISTER (registrar)', value: { type: 'REGISTER', number: 'KS 2026/1234', caseRef: 'KS 2026/1200' } },
  unpublish: { summary: 'UNPUBLISH (officer)', value: { type: 'UNPUBLISH', reason: 'Defamation of a named person', categories: ['defamation'] } },
  hold: { summary: 'HOLD (registrar, auditor)', value: { type: 'HOLD', reason: 'Requested under the public records act' } },
};

export const newAccountExamples: Examples = {
  facebook: {
    summary: 'A Facebook page with everything approval asks for (TI-1, TI-4)',
    value: {
      platform: 'facebook', handle: 'tibrokommun', url: 'https://facebook.com/tibrokommun', purpose: 'News and questions from residents',
      audience: 'Residents', ownerUnit: 'Communications', responsible: { name: 'Rut Ansvarig', email: 'rut@example.org' },
      substitute: { name: 'Sam Ersättare' }, admins: [{ name: 'Ada Admin' }, { name: 'Bo Admin' }], profile: { contact: true, moderationNotice: true },
    },
  },
};

export const accountChangesExamples: Examples = {
  purpose: { summary: 'A new purpose and a third administrator', value: { purpose: 'News, questions and emergency information', admins: [{ name: 'Ada Admin' }, { name: 'Bo Admin' }, { name: 'Cy Admin' }] } },
};

export const accountEventExamples: Examples = {
  approve: { summary: 'APPROVE (admin)', value: { type: 'APPROVE' } },
  monitored: { summary: 'MONITORED (admin, officer)', value: { type: 'MONITORED', day: '2026-12-07' } },
  snapshot: {
    summary: 'SNAPSHOT recorded by its hash (the file itself: POST …/snapshots)',
    value: { type: 'SNAPSHOT', sha256: 'a'.repeat(64), format: 'pdf/a-1', takenAt: '2026-12-07T08:00:00Z', final: true },
  },
  close: { summary: 'CLOSE (admin, officer; after a final snapshot, AV-13)', value: { type: 'CLOSE', reason: 'The channel is no longer used' } },
};

export const exportExamples: Examples = {
  noark5: { summary: 'A Noark 5 arkivuttrekk of one year', value: { format: 'noark5', from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' } },
  earkSip: {
    summary: 'An E-ARK SIP of one channel\'s quarter',
    value: { format: 'eark-sip', from: '2026-07-01T00:00:00Z', to: '2026-10-01T00:00:00Z', accountId },
  },
};

export const policyExamples: Examples = {
  preset: { summary: 'Back to a preset as it ships', value: { preset: 'tibro' } },
  overrides: { summary: 'A preset with a raised minimum of administrators', value: { preset: 'avesta', overrides: { accounts: { minAdmins: 3 } } } },
};
