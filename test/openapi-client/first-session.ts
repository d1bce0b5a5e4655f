// An integrator's first session, written only against the client that openapi-typescript generates
// from the served /openapi.json (./generated/schema.ts, made at test time, never committed) and
// driven with openapi-fetch: a renamed field, path or operation in the document fails its type
// check; a document that promises what the server does not do fails its run.
// Type-checked and run by test/server/openapi-client.test.ts; excluded from the project's tsc.
import createClient from 'openapi-fetch';
import type { paths } from './generated/schema.ts';

export interface FirstSessionKeys {
  admin: string;
  integrator: string;
  officer: string;
}

function client(baseUrl: string, key: string | null) {
  return createClient<paths>({ baseUrl, headers: key ? { authorization: `Bearer ${key}` } : {} });
}

function must<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.data === undefined) throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

export async function firstSession(baseUrl: string, slug: string, keys: FirstSessionKeys) {
  const admin = client(baseUrl, keys.admin);
  const integrator = client(baseUrl, keys.integrator);
  const officer = client(baseUrl, keys.officer);

  const proposed = must(await admin.POST('/v1/accounts', {
    body: {
      platform: 'facebook', handle: 'generated-client', url: 'https://facebook.com/generated-client',
      purpose: 'News and questions from residents', audience: 'Residents', ownerUnit: 'Communications',
      responsible: { name: 'Ansvarig Person', email: 'ansvarig@example.org' },
      substitute: { name: 'Ersättare Person', email: 'ersattare@example.org' },
      admins: [{ name: 'Admin Ett', email: 'a1@example.org' }, { name: 'Admin Två', email: 'a2@example.org' }],
      profile: { logo: true, siteLink: true, contact: true, publicRecordsNotice: true, moderationNotice: true },
    },
  }), 'createAccount');
  const approved = must(await admin.POST('/v1/accounts/{id}/events', {
    params: { path: { id: proposed.id } }, body: { type: 'APPROVE' },
  }), 'postAccountEvent APPROVE');

  const ingested = must(await integrator.POST('/v1/items', {
    body: {
      accountId: approved.id, externalId: 'generated-1', kind: 'comment', direction: 'inbound',
      author: { handle: 'resident', name: 'A Resident' }, text: 'When does the library open?',
    },
  }), 'ingestItem');
  const assessed = must(await officer.POST('/v1/items/{id}/events', {
    params: { path: { id: ingested.id }, header: { 'if-match': `"${ingested.version}"` } },
    body: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' },
  }), 'postItemEvent ASSESS');
  const answered = must(await officer.POST('/v1/items/{id}/events', {
    params: { path: { id: assessed.id } }, body: { type: 'ANSWER', text: 'At nine, Monday to Saturday.' },
  }), 'postItemEvent ANSWER');
  const item = must(await officer.GET('/v1/items/{id}', { params: { path: { id: answered.id } } }), 'getItem');

  const register = must(await client(baseUrl, null).GET('/v1/orgs/{slug}/channels', { params: { path: { slug } } }), 'getChannelRegister');
  // The register is documented as JSON or HTML (by Accept); this client asked for JSON.
  if (typeof register === 'string') throw new Error('getChannelRegister answered HTML to a JSON client');
  const refused = await officer.POST('/v1/accounts', { body: { platform: 'x', handle: 'not-an-admin' } });

  return {
    account: { id: approved.id, status: approved.status },
    item: { id: item.id, status: item.status, version: item.version, deadlines: item.deadlines.map((d) => `${d.kind}:${d.status}`) },
    registerHandles: register.channels.map((channel) => channel.handle),
    refused: { status: refused.response.status, title: refused.error?.title },
  };
}
