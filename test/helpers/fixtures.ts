// Organisations, approved accounts and items for tests, through the real commands.
import { applyAccountEvent, createAccount, type NewAccount } from '../../db/accounts/accounts.ts';
import type { Store } from '../../db/client.ts';
import { ingestItem, type NewItem } from '../../db/items/items.ts';
import { createOrganisation, policyOf, type Organisation } from '../../db/organisations.ts';
import type { Actor } from '../../db/ledger/ledger.ts';

export const t0 = new Date('2026-11-23T09:00:00Z');
export const admin: Actor = { keyId: 'test-admin', role: 'admin' };
export const integrator: Actor = { keyId: 'test-integrator', role: 'integrator' };
export const officer: Actor = { keyId: 'test-officer', role: 'officer' };
export const registrar: Actor = { keyId: 'test-registrar', role: 'registrar' };

export async function organisation(store: Store, preset: string, slug = preset): Promise<Organisation> {
  const result = await createOrganisation(store, { slug, preset }, t0);
  if (!result.ok) throw new Error(result.detail);
  return result.organisation;
}

export const completeAccount: NewAccount = {
  platform: 'facebook',
  handle: 'kommunen',
  url: 'https://facebook.com/kommunen',
  purpose: 'News and questions from residents',
  audience: 'Residents',
  ownerUnit: 'Communications',
  responsible: { name: 'Ansvarig Person', email: 'ansvarig@example.org' },
  substitute: { name: 'Ersättare Person', email: 'ersattare@example.org' },
  admins: [{ name: 'Admin Ett', email: 'a1@example.org' }, { name: 'Admin Två', email: 'a2@example.org' }],
  profile: { logo: true, siteLink: true, contact: true, publicRecordsNotice: true, moderationNotice: true },
};

export async function activeAccount(store: Store, org: Organisation, overrides: Partial<NewAccount> = {}) {
  const account = await createAccount(store, {
    orgId: org.id, policy: policyOf(org), actor: admin, now: t0, account: { ...completeAccount, ...overrides },
  });
  const approved = await applyAccountEvent(store, {
    orgId: org.id, policy: policyOf(org), accountId: account.id, actor: admin, now: t0, event: { type: 'APPROVE' },
  });
  if (!approved.ok) throw new Error(approved.detail);
  return approved.account;
}

export async function receivedItem(store: Store, org: Organisation, accountId: string, overrides: Partial<NewItem> = {}) {
  const result = await ingestItem(store, {
    orgId: org.id, actor: integrator, now: t0,
    item: {
      accountId, externalId: `ext-${Math.random().toString(36).slice(2)}`, kind: 'comment', direction: 'inbound',
      author: { handle: 'resident', name: 'A Resident' }, text: 'When is the library open?', ...overrides,
    },
  });
  if (!result.ok) throw new Error(result.detail);
  return result.item;
}

/** Personal content that must never reach a log (test/server/logs.http.test.ts, test/e2e/logs.e2e.test.ts). */
export const personalContent = {
  text: 'Min granne Sven Svensson på Storgatan 3 slår sin hund',
  authorName: 'Greta Grannsdotter',
  authorHandle: 'greta_g_1972',
  email: 'greta.grannsdotter@example.se',
  responsible: 'Rune Ansvarsson',
  responsibleEmail: 'rune.ansvarsson@tibro.example',
  answer: 'Hej Greta, vi har kontaktat Sven Svensson',
  note: 'Greta ringde också om Sven',
  failingText: 'Lena Lösenordsdotter, personnummer 19800101-1234',
};
