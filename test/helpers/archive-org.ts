// A realistic organisation for archive exports, made through the real commands: two channels,
// inbound and outbound items, a direct message, items registered into two cases and without a
// case, evidence captured before a removal, and thinned items whose personal data must not leave.
import type { Store } from '../../db/client.ts';
import type { Organisation } from '../../db/organisations.ts';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import type { Actor } from '../../db/ledger/ledger.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from './fixtures.ts';

/** Text and names that belong to thinned items only: none of them may appear in a package. */
export const thinnedSecrets = ['Tormod Tynnesen', 'tormod_t_1966', 'Min nabo Per Pettersen i Nyveien 7', 'Dina Direktesen', 'dina_dm', 'Hemmelig melding om Kari'];

export interface ArchiveOrg {
  org: Organisation;
  registered: string[];
  thinned: string[];
  open: string[];
  from: string;
  to: string;
}

export async function archiveOrganisation(store: Store, preset = 'lillesand'): Promise<ArchiveOrg> {
  const org = await organisation(store, preset);
  const facebook = await activeAccount(store, org);
  const instagram = await activeAccount(store, org, { platform: 'instagram', handle: 'kommunen_ig', url: 'https://instagram.com/kommunen_ig' });
  let minute = 0;
  const send = async (itemId: string, event: Parameters<typeof applyItemEvent>[1]['event'], actor: Actor = officer) => {
    minute += 1;
    const result = await applyItemEvent(store, { orgId: org.id, itemId, actor, event, ifMatch: null, idempotency: null, now: new Date(t0.getTime() + minute * 60_000) });
    if (!result.ok) throw new Error(`${event.type}: ${JSON.stringify(result)}`);
  };
  const register = async (itemId: string, number: string, caseRef?: string, assess = true) => {
    if (assess) await send(itemId, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' });
    await send(itemId, { type: 'REGISTER', number, ...(caseRef ? { caseRef } : {}) }, registrar);
  };
  const thin = async (itemId: string) => {
    await send(itemId, { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' });
    await send(itemId, { type: 'THIN', reason: 'Enkel kommunikasjon uten arkivverdi' }, registrar);
  };

  const registered: string[] = [];
  const thinned: string[] = [];
  const open: string[] = [];
  const q1 = await receivedItem(store, org, facebook.id, { text: 'Når åpner biblioteket igjen etter oppussingen?', author: { handle: 'ola_n', name: 'Ola Nordmann' }, url: 'https://facebook.com/kommunen/posts/1' });
  await register(q1.id, '2026/101', '2026/14');
  const q2 = await receivedItem(store, org, instagram.id, { text: 'Biblioteket: kan barna låne spill?', author: { handle: 'kari_n', name: 'Kari Nordmann' } });
  await register(q2.id, '2026/102', '2026/14');
  const post = await receivedItem(store, org, facebook.id, { kind: 'post', direction: 'outbound', text: 'Brøyting i sentrum fra kl. 06 & utover <i morgen>', author: { handle: 'kommunen', name: 'Lillesand kommune' } });
  await register(post.id, '2026/103', '2026/15', false); // an own post is registered as published
  const criticism = await receivedItem(store, org, facebook.id, { text: 'Veien min er ikke brøytet!', author: { handle: 'per_b', name: 'Per Bakke' } });
  await send(criticism.id, { type: 'CAPTURE_EVIDENCE' });
  await register(criticism.id, '2026/104');
  const dm = await receivedItem(store, org, instagram.id, { kind: 'direct_message', text: 'Jeg trenger hjelp med søknaden om støtte', author: { handle: 'anne_s', name: 'Anne Søker' } });
  await register(dm.id, '2026/105');
  registered.push(q1.id, q2.id, post.id, criticism.id, dm.id);

  const praise = await receivedItem(store, org, facebook.id, { text: thinnedSecrets[2]!, author: { handle: thinnedSecrets[1]!, name: thinnedSecrets[0]! } });
  await send(praise.id, { type: 'CAPTURE_EVIDENCE' });
  await thin(praise.id);
  const dmThin = await receivedItem(store, org, instagram.id, { kind: 'direct_message', text: thinnedSecrets[5]!, author: { handle: thinnedSecrets[4]!, name: thinnedSecrets[3]! } });
  await thin(dmThin.id);
  thinned.push(praise.id, dmThin.id);

  const pending = await receivedItem(store, org, facebook.id, { text: 'Ubehandlet spørsmål', author: { handle: 'ny', name: 'Ny Person' } });
  open.push(pending.id);
  return { org, registered, thinned, open, from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
}
