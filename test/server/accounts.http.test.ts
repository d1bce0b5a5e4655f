// Accounts over HTTP: propose and AMEND (ETag / If-Match), the account role table, the rule
// refusals at APPROVE, CLOSE and SNAPSHOT (TI-1, TI-4, TI-2, TI-16, TI-12, AV-13), snapshot file
// uploads (PDF, PDF/A-1, PNG; 413/415/400; idempotent by sha256; tenancy), replay, and the public
// channel register in JSON and HTML (TI-3, UP-6, AV-2).
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountEventRoles, type AccountEventType } from '../../machines/account.events.ts';
import { roles, type Role } from '../../machines/item.events.ts';
import type { App } from '../../server/app.ts';
import { accountReview } from '../../schedules/account-review.ts';
import { t0 } from '../helpers/fixtures.ts';
import { accountBody, activeAccountOverHttp, call, expectProblem, httpWorld, type CallResult, type HttpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

// ---------------------------------------------------------------------------------------------
// Byte fixtures, built in code.

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A valid 1×1 RGB PNG; `shade` varies the pixel so each call may give different bytes. */
function png(shade = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.from([0, shade & 0xff, 0x80, 0x40]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
/** A small PDF; with `pdfaPart` its XMP metadata declares that PDF/A part. */
function pdf(label: string, pdfaPart?: number): Buffer {
  const xmp = pdfaPart === undefined
    ? ''
    : '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n' +
      '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n' +
      `<pdfaid:part>${pdfaPart}</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>\n` +
      '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>\n';
  return Buffer.from(
    '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n' +
      '1 0 obj << /Type /Catalog /Pages 2 0 R /Metadata 3 0 R >> endobj\n' +
      '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
      `3 0 obj << /Type /Metadata /Subtype /XML /Length ${xmp.length} >> stream\n${xmp}endstream endobj\n` +
      `% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}
const pdfa = (label: string) => pdf(label, 1);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// ---------------------------------------------------------------------------------------------
// HTTP helpers for raw bodies.

async function toResult(response: Response): Promise<CallResult & { bytes: Buffer }> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json, bytes };
}

function upload(
  app: App, key: string, accountId: string, bytes: Buffer | string, contentType: string | null, query = '',
  headers: Record<string, string> = {},
) {
  const allHeaders: Record<string, string> = { authorization: `Bearer ${key}`, ...headers };
  if (contentType !== null) allHeaders['content-type'] = contentType;
  const body = typeof bytes === 'string' ? bytes : new Uint8Array(bytes);
  return Promise.resolve(app.request(`/v1/accounts/${accountId}/snapshots${query}`, { method: 'POST', headers: allHeaders, body }))
    .then(toResult);
}

function getRaw(app: App, path: string, key: string | null, headers: Record<string, string> = {}) {
  return Promise.resolve(app.request(path, { method: 'GET', headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } }))
    .then(toResult);
}

const later = (ms: number) => new Date(t0.getTime() + ms);
const minute = 60_000;
const day = 24 * 60 * minute;

async function propose(w: HttpWorld, body: Record<string, unknown>) {
  const created = await call(w.app, 'POST', '/v1/accounts', { key: w.keys.admin.key, body });
  expect(created.status, created.text).toBe(201);
  return created;
}

function sendEvent(w: HttpWorld, role: Role, id: string, event: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call(w.app, 'POST', `/v1/accounts/${id}/events`, { key: w.keys[role].key, body: event, headers });
}

async function getAccount(w: HttpWorld, id: string) {
  const result = await call(w.app, 'GET', `/v1/accounts/${id}`, { key: w.keys.auditor.key });
  expect(result.status, result.text).toBe(200);
  return result;
}

async function historyOf(w: HttpWorld, id: string): Promise<any[]> {
  const result = await call(w.app, 'GET', `/v1/accounts/${id}/history`, { key: w.keys.auditor.key });
  expect(result.status, result.text).toBe(200);
  return result.json.events;
}

/** Something@domain.tld: an e-mail address (the machine name account@2 is not one). */
const emailLike = /[\w.+-]+@[\w-]+\.[\w.-]+/;

const pastTakenAt = () => new Date(t0.getTime() - 60 * minute).toISOString();

// ---------------------------------------------------------------------------------------------

describe('POST /v1/accounts and PATCH /v1/accounts/{id} (AMEND)', () => {
  let t: TempDb;
  let w: HttpWorld;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
  });
  afterAll(() => t.cleanup());

  it('refuses APPROVE with the rule that is missing, one field at a time, until AMEND completes the decision', async () => {
    const created = await propose(w, {
      platform: 'instagram', handle: 'tibro-bibliotek', purpose: 'Library news', audience: 'Residents', ownerUnit: 'Culture',
      responsible: { name: 'Rita Responsible', email: 'rita@tibro.example' },
      admins: [{ name: 'Adam Admin', email: 'adam@tibro.example' }],
    });
    const id = String(created.json.id);
    expect(created.json.status).toBe('proposed');
    expect(created.json.version).toBe(1);
    expect(created.headers.get('etag')).toBe('"1"');

    // TI-1: no substitute.
    let refused = expectProblem(await sendEvent(w, 'admin', id, { type: 'APPROVE' }), 409);
    expect(refused.rule).toBe('TI-1');
    expect(refused.detail).toContain('substitute');

    const withSubstitute = await call(w.app, 'PATCH', `/v1/accounts/${id}`, {
      key: w.keys.admin.key, body: { substitute: { name: 'Sara Substitute', email: 'sara@tibro.example' } }, headers: { 'if-match': '"1"' },
    });
    expect(withSubstitute.status, withSubstitute.text).toBe(200);
    expect(withSubstitute.headers.get('etag')).toBe('"2"');
    expect(withSubstitute.json.version).toBe(2);
    expect(withSubstitute.json.substitute).toEqual({ name: 'Sara Substitute', email: 'sara@tibro.example' });
    expect(withSubstitute.json.status).toBe('proposed');

    // TI-4: one administrator.
    refused = expectProblem(await sendEvent(w, 'admin', id, { type: 'APPROVE' }), 409);
    expect(refused.rule).toBe('TI-4');

    const withAdmins = await call(w.app, 'PATCH', `/v1/accounts/${id}`, {
      key: w.keys.admin.key,
      body: { admins: [{ name: 'Adam Admin', email: 'adam@tibro.example' }, { name: 'Bea Backup', email: 'bea@tibro.example' }] },
    });
    expect(withAdmins.status, withAdmins.text).toBe(200);
    expect(withAdmins.json.admins).toHaveLength(2);

    // TI-2: the profile shows no contact; TI-16: no moderation notice.
    refused = expectProblem(await sendEvent(w, 'admin', id, { type: 'APPROVE' }), 409);
    expect(refused.rule).toBe('TI-2');
    const withContact = await call(w.app, 'PATCH', `/v1/accounts/${id}`, { key: w.keys.admin.key, body: { profile: { contact: true } } });
    expect(withContact.status, withContact.text).toBe(200);
    expect(withContact.json.profile.contact).toBe(true);
    refused = expectProblem(await sendEvent(w, 'admin', id, { type: 'APPROVE' }), 409);
    expect(refused.rule).toBe('TI-16');
    const withNotice = await call(w.app, 'PATCH', `/v1/accounts/${id}`, {
      key: w.keys.admin.key, body: { profile: { moderationNotice: true } },
    });
    expect(withNotice.status, withNotice.text).toBe(200);
    // A profile change merges: the contact stays checked.
    expect(withNotice.json.profile).toMatchObject({ contact: true, moderationNotice: true });

    const before = await getAccount(w, id);
    const approved = await sendEvent(w, 'admin', id, { type: 'APPROVE' }, { 'if-match': before.headers.get('etag')! });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json.status).toBe('active');
    expect(approved.json.approvedAt).toBe(t0.toISOString());
    expect(approved.headers.get('etag')).toBe(`"${before.json.version + 1}"`);

    // The AMEND events carry no names and no e-mail addresses.
    const events = await historyOf(w, id);
    const amends = events.filter((event) => event.type === 'AMEND');
    expect(amends).toHaveLength(4);
    expect(amends[0].payload.changed).toEqual(['substitute']);
    expect(amends[1].payload.changed).toEqual(['admins']);
    const amendText = JSON.stringify(amends);
    expect(amendText).not.toMatch(emailLike);
    for (const name of ['Sara Substitute', 'Adam Admin', 'Bea Backup', 'Rita Responsible']) expect(amendText).not.toContain(name);
    // …and neither does the rest of the history.
    const historyText = JSON.stringify(events);
    expect(historyText).not.toMatch(emailLike);
    expect(historyText).not.toContain('Rita Responsible');
  });

  it('answers GET /v1/accounts/{id} with ETag "VERSION"', async () => {
    const created = await propose(w, { ...accountBody, handle: 'etag-check' });
    const got = await getAccount(w, created.json.id);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.json).toMatchObject({ id: created.json.id, status: 'proposed', version: 1, handle: 'etag-check' });
  });

  it('answers a stale If-Match with 412 problem+json and changes nothing', async () => {
    const created = await propose(w, { ...accountBody, handle: 'stale' });
    const id = created.json.id;
    const stale = await call(w.app, 'PATCH', `/v1/accounts/${id}`, {
      key: w.keys.admin.key, body: { purpose: 'Changed' }, headers: { 'if-match': '"7"' },
    });
    const problem = expectProblem(stale, 412);
    expect(problem.currentVersion).toBe(1);
    const after = await getAccount(w, id);
    expect(after.json.version).toBe(1);
    expect(after.json.purpose).toBe(accountBody.purpose);
    // The same holds on POST …/events.
    expectProblem(await sendEvent(w, 'admin', id, { type: 'APPROVE' }, { 'if-match': '"2"' }), 412);
    expect((await getAccount(w, id)).json.status).toBe('proposed');
  });

  it('accepts If-Match "*" and a bare number', async () => {
    const created = await propose(w, { ...accountBody, handle: 'star' });
    const star = await call(w.app, 'PATCH', `/v1/accounts/${created.json.id}`, {
      key: w.keys.admin.key, body: { purpose: 'Star' }, headers: { 'if-match': '*' },
    });
    expect(star.status, star.text).toBe(200);
    const bare = await call(w.app, 'PATCH', `/v1/accounts/${created.json.id}`, {
      key: w.keys.admin.key, body: { purpose: 'Bare' }, headers: { 'if-match': '2' },
    });
    expect(bare.status, bare.text).toBe(200);
    expect(bare.json.purpose).toBe('Bare');
  });

  it.each(['abc', '"v1"', '"-1"', '"1", "2"'])('answers a malformed If-Match %s with 400', async (header) => {
    const created = await propose(w, { ...accountBody, handle: `bad-if-match-${header.length}` });
    const result = await call(w.app, 'PATCH', `/v1/accounts/${created.json.id}`, {
      key: w.keys.admin.key, body: { purpose: 'Changed' }, headers: { 'if-match': header },
    });
    const problem = expectProblem(result, 400);
    expect(JSON.stringify(problem.errors)).toContain('if-match');
    expect((await getAccount(w, created.json.id)).json.version).toBe(1);
  });

  it('refuses an empty PATCH body and an unknown field with 400', async () => {
    const created = await propose(w, { ...accountBody, handle: 'bad-bodies' });
    const id = created.json.id;
    expectProblem(await call(w.app, 'PATCH', `/v1/accounts/${id}`, { key: w.keys.admin.key, body: {} }), 400);
    const unknown = expectProblem(
      await call(w.app, 'PATCH', `/v1/accounts/${id}`, { key: w.keys.admin.key, body: { purpose: 'Fine', colour: 'blue' } }), 400,
    );
    expect(JSON.stringify(unknown)).toContain('colour');
    // The platform is not amendable.
    expectProblem(await call(w.app, 'PATCH', `/v1/accounts/${id}`, { key: w.keys.admin.key, body: { platform: 'x' } }), 400);
    expectProblem(await call(w.app, 'PATCH', `/v1/accounts/${id}`, { key: w.keys.admin.key, body: { purpose: '   ' } }), 400);
    expect((await getAccount(w, id)).json.version).toBe(1);
    expect(await historyOf(w, id)).toHaveLength(1);
  });

  it('lets only the admin AMEND: 403 for every other role, nothing recorded', async () => {
    const created = await propose(w, { ...accountBody, handle: 'amend-roles' });
    const id = created.json.id;
    for (const role of roles.filter((r) => r !== 'admin')) {
      const result = await call(w.app, 'PATCH', `/v1/accounts/${id}`, { key: w.keys[role].key, body: { purpose: `By ${role}` } });
      expectProblem(result, 403);
    }
    expect((await getAccount(w, id)).json.version).toBe(1);
    expect(await historyOf(w, id)).toHaveLength(1);
  });

  it('answers 404 for an unknown account on PATCH and GET', async () => {
    expectProblem(await call(w.app, 'PATCH', '/v1/accounts/nope', { key: w.keys.admin.key, body: { purpose: 'X' } }), 404);
    expectProblem(await call(w.app, 'GET', '/v1/accounts/nope', { key: w.keys.admin.key }), 404);
  });

  it('refuses a proposal with an unknown platform or field with 400, and from a non-admin with 403', async () => {
    expectProblem(await call(w.app, 'POST', '/v1/accounts', { key: w.keys.admin.key, body: { ...accountBody, platform: 'myspace' } }), 400);
    expectProblem(await call(w.app, 'POST', '/v1/accounts', { key: w.keys.admin.key, body: { ...accountBody, status: 'active' } }), 400);
    expectProblem(await call(w.app, 'POST', '/v1/accounts', { key: w.keys.officer.key, body: accountBody }), 403);
  });
});

// ---------------------------------------------------------------------------------------------

const validAccountEvents: Record<string, Record<string, unknown>> = {
  APPROVE: { type: 'APPROVE' },
  KEEP: { type: 'KEEP' },
  CLOSE: { type: 'CLOSE', reason: 'No longer used' },
  MONITORED: { type: 'MONITORED', day: '2026-11-20' },
  SNAPSHOT: { type: 'SNAPSHOT', sha256: 'a'.repeat(64), format: 'pdf/a-1', takenAt: '2026-11-23T08:00:00Z' },
  SURGE_CONSULTED: { type: 'SURGE_CONSULTED' },
};
const clientEventTypes = Object.keys(validAccountEvents) as AccountEventType[];
const accountCases = clientEventTypes.flatMap((type) =>
  roles.map((role) => ({ type, role, allowed: accountEventRoles[type].includes(role) })),
);

describe('POST /v1/accounts/{id}/events', () => {
  let t: TempDb;
  let w: HttpWorld;
  let shared: string;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    shared = await activeAccountOverHttp(w);
  });
  afterAll(() => t.cleanup());
  afterEach(() => {
    w.clock.now = t0;
  });

  it('has the role table the brief names', () => {
    expect(accountEventRoles.APPROVE).toEqual(['admin']);
    expect([...accountEventRoles.KEEP].sort()).toEqual(['admin', 'officer']);
    expect([...accountEventRoles.CLOSE].sort()).toEqual(['admin', 'officer']);
    expect([...accountEventRoles.MONITORED].sort()).toEqual(['admin', 'officer']);
    expect([...accountEventRoles.SNAPSHOT].sort()).toEqual(['admin', 'integrator', 'officer']);
    expect(accountCases).toHaveLength(6 * 5);
  });

  it.each(accountCases.filter((c) => !c.allowed))('refuses $type from $role with 403 and leaves the account alone', async ({ type, role }) => {
    const before = (await getAccount(w, shared)).json.version;
    const problem = expectProblem(await sendEvent(w, role, shared, validAccountEvents[type]!), 403);
    expect(problem.detail).toContain(type);
    expect((await getAccount(w, shared)).json.version).toBe(before);
  });

  it.each(accountCases.filter((c) => c.allowed))('lets $role send $type: 200 or 409, never 403', async ({ type, role }) => {
    const id = await activeAccountOverHttp(w, { handle: `roles-${type}-${role}` });
    const result = await sendEvent(w, role, id, validAccountEvents[type]!);
    expect([200, 409], result.text).toContain(result.status);
  });

  it('accepts MONITORED and SNAPSHOT from their roles on an active account', async () => {
    const id = await activeAccountOverHttp(w, { handle: 'watched' });
    for (const role of ['admin', 'officer'] as const) {
      const result = await sendEvent(w, role, id, { type: 'MONITORED', day: '2026-11-20' });
      expect(result.status, result.text).toBe(200);
    }
    for (const role of ['admin', 'officer', 'integrator'] as const) {
      const result = await sendEvent(w, role, id, { type: 'SNAPSHOT', sha256: sha256(pdfa(role)), format: 'pdf/a-1', takenAt: pastTakenAt() });
      expect(result.status, result.text).toBe(200);
      expect(result.json.lastSnapshot).toMatchObject({ sha256: sha256(pdfa(role)), format: 'pdf/a-1', final: false });
    }
  });

  it.each(['REVIEW_DUE', 'CLOSED', 'MONITORING_MISSED', 'SNAPSHOT_DUE', 'ADMINS_SHORT', 'SURGE_FLAGGED', 'AMEND', 'BOGUS'])(
    'refuses the non-client event %s with 400 even from the admin',
    async (type) => {
      const before = (await getAccount(w, shared)).json.version;
      expectProblem(await sendEvent(w, 'admin', shared, { type }), 400);
      expectProblem(await sendEvent(w, 'admin', shared, { type, lastActivityAt: null, days: 7, rule: 'TI-5' }), 400);
      expect((await getAccount(w, shared)).json.version).toBe(before);
    },
  );

  it('refuses CLOSE without a final snapshot (AV-13), then closes after SNAPSHOT {final: true}', async () => {
    const id = await activeAccountOverHttp(w, { handle: 'to-close' });
    let refused = expectProblem(await sendEvent(w, 'officer', id, { type: 'CLOSE', reason: 'Not used' }), 409);
    expect(refused.rule).toBe('AV-13');
    // A snapshot that is not final does not do.
    const plain = await sendEvent(w, 'officer', id, { type: 'SNAPSHOT', sha256: sha256(pdfa('plain')), format: 'pdf/a-1', takenAt: pastTakenAt() });
    expect(plain.status, plain.text).toBe(200);
    refused = expectProblem(await sendEvent(w, 'officer', id, { type: 'CLOSE', reason: 'Not used' }), 409);
    expect(refused.rule).toBe('AV-13');
    expect((await getAccount(w, id)).json.status).toBe('active');

    const final = await sendEvent(w, 'integrator', id, {
      type: 'SNAPSHOT', sha256: sha256(pdfa('final')), format: 'pdf/a-1', takenAt: pastTakenAt(), final: true,
    });
    expect(final.status, final.text).toBe(200);
    expect(final.json.lastSnapshot.final).toBe(true);
    const closed = await sendEvent(w, 'officer', id, { type: 'CLOSE', reason: 'Not used' });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.status).toBe('closing');
    expect(closed.json.closing).toEqual({ reason: 'Not used', at: t0.toISOString() });
    // CLOSE needs a reason.
    expectProblem(await sendEvent(w, 'officer', shared, { type: 'CLOSE' }), 400);
  });

  it('refuses a SNAPSHOT in format "pdf" under Tibro with TI-12', async () => {
    const id = await activeAccountOverHttp(w, { handle: 'pdf-only' });
    const refused = expectProblem(
      await sendEvent(w, 'officer', id, { type: 'SNAPSHOT', sha256: sha256(pdf('x')), format: 'pdf', takenAt: pastTakenAt(), final: true }), 409,
    );
    expect(refused.rule).toBe('TI-12');
    const account = (await getAccount(w, id)).json;
    expect(account.lastSnapshot).toBeNull();
    // …and since it was refused, it does not count as a final snapshot.
    expect(expectProblem(await sendEvent(w, 'officer', id, { type: 'CLOSE', reason: 'x' }), 409).rule).toBe('AV-13');
  });

  it('refuses a SNAPSHOT taken in the future with 400', async () => {
    const future = new Date(t0.getTime() + 60 * minute).toISOString();
    expectProblem(await sendEvent(w, 'officer', shared, { type: 'SNAPSHOT', sha256: 'b'.repeat(64), format: 'pdf/a-1', takenAt: future }), 400);
    expectProblem(await sendEvent(w, 'officer', shared, { type: 'SNAPSHOT', sha256: 'B'.repeat(64), format: 'pdf/a-1', takenAt: pastTakenAt() }), 400);
  });

  it('refuses MONITORED for a day that has not begun (400) and accepts a day in the past', async () => {
    const id = await activeAccountOverHttp(w, { handle: 'monitored-days' });
    // t0 is 2026-11-23 10:00 in Stockholm.
    const future = expectProblem(await sendEvent(w, 'officer', id, { type: 'MONITORED', day: '2026-11-24' }), 400);
    expect(future.detail).toContain('2026-11-24');
    expect((await getAccount(w, id)).json.version).toBe(2);
    const past = await sendEvent(w, 'officer', id, { type: 'MONITORED', day: '2026-11-19' });
    expect(past.status, past.text).toBe(200);
    const today = await sendEvent(w, 'officer', id, { type: 'MONITORED' });
    expect(today.status, today.text).toBe(200);
    const events = await historyOf(w, id);
    expect(events.filter((e) => e.type === 'MONITORED').map((e) => e.payload.day)).toEqual(['2026-11-19', '2026-11-23']);
    expectProblem(await sendEvent(w, 'officer', id, { type: 'MONITORED', day: '23/11/2026' }), 400);
  });

  it('refuses APPROVE on an account that is already active with 409 and the allowed events', async () => {
    const refused = expectProblem(await sendEvent(w, 'admin', shared, { type: 'APPROVE' }), 409);
    expect(refused.allowedEvents).toContain('MONITORED');
    expect(refused.allowedEvents).not.toContain('APPROVE');
    expect(refused.allowedEvents).not.toContain('KEEP');
  });

  it('lists SNAPSHOT among the allowed events of an active Tibro account (it is accepted in pdf/a-1)', async () => {
    const id = await activeAccountOverHttp(w, { handle: 'allowed-snapshot' });
    const account = (await getAccount(w, id)).json;
    const accepted = await sendEvent(w, 'integrator', id, { type: 'SNAPSHOT', sha256: 'd'.repeat(64), format: 'pdf/a-1', takenAt: pastTakenAt() });
    expect(accepted.status, accepted.text).toBe(200);
    // SNAPSHOT was sendable, so the account should have said so.
    expect(account.allowedEvents).toContain('SNAPSHOT');
  });
});

// ---------------------------------------------------------------------------------------------

describe('snapshot files: POST/GET /v1/accounts/{id}/snapshots', () => {
  let t: TempDb;
  let avesta: HttpWorld;
  let tibro: HttpWorld;

  beforeAll(async () => {
    t = await tempDb();
    avesta = await httpWorld(t, 'avesta');
    tibro = await httpWorld(t, 'tibro');
  });
  afterAll(() => t.cleanup());

  it.each([
    { label: 'a PNG', bytes: png(1), type: 'image/png', format: 'png' },
    { label: 'a PDF', bytes: pdf('plain'), type: 'application/pdf', format: 'pdf' },
    { label: 'a PDF declaring PDF/A-1', bytes: pdfa('archival'), type: 'application/pdf', format: 'pdf/a-1' },
    { label: 'a PDF declaring PDF/A-2', bytes: pdf('part two', 2), type: 'application/pdf', format: 'pdf' },
    { label: 'a PDF with a charset parameter', bytes: pdf('param'), type: 'Application/PDF; charset=binary', format: 'pdf' },
  ])('stores $label by its sha256 as $format, and gives it back byte for byte', async ({ bytes, type, format }) => {
    const id = await activeAccountOverHttp(avesta, { handle: `upload-${format}-${bytes.length}` });
    const eventsBefore = (await historyOf(avesta, id)).length;
    const created = await upload(avesta.app, avesta.keys.officer.key, id, bytes, type);
    expect(created.status, created.text).toBe(201);
    const digest = sha256(bytes);
    const mediaType = format === 'png' ? 'image/png' : 'application/pdf';
    expect(created.json.snapshot).toMatchObject({ sha256: digest, format, mediaType, size: bytes.length, uploadedAt: t0.toISOString() });
    expect(created.json.account.lastSnapshot).toMatchObject({ sha256: digest, format, final: false, takenAt: t0.toISOString() });
    const events = await historyOf(avesta, id);
    expect(events).toHaveLength(eventsBefore + 1);
    expect(events.at(-1)).toMatchObject({ type: 'SNAPSHOT', payload: { sha256: digest, format, size: bytes.length } });

    const listed = await call(avesta.app, 'GET', `/v1/accounts/${id}/snapshots`, { key: avesta.keys.auditor.key });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.snapshots).toEqual([{ sha256: digest, format, mediaType, size: bytes.length, uploadedAt: t0.toISOString() }]);

    const file = await getRaw(avesta.app, `/v1/accounts/${id}/snapshots/${digest}`, avesta.keys.auditor.key);
    expect(file.status, file.text).toBe(200);
    expect(file.headers.get('content-type')).toBe(mediaType);
    expect(file.bytes.equals(bytes)).toBe(true);
  });

  it('answers the same bytes again with 200 and records no new event', async () => {
    const id = await activeAccountOverHttp(avesta, { handle: 'twice' });
    const bytes = png(7);
    const first = await upload(avesta.app, avesta.keys.integrator.key, id, bytes, 'image/png');
    expect(first.status, first.text).toBe(201);
    const events = (await historyOf(avesta, id)).length;
    const version = (await getAccount(avesta, id)).json.version;
    const again = await upload(avesta.app, avesta.keys.integrator.key, id, bytes, 'image/png');
    expect(again.status, again.text).toBe(200);
    expect(again.json.snapshot.sha256).toBe(sha256(bytes));
    expect(again.json.account.version).toBe(version);
    expect(await historyOf(avesta, id)).toHaveLength(events);
    const listed = await call(avesta.app, 'GET', `/v1/accounts/${id}/snapshots`, { key: avesta.keys.auditor.key });
    expect(listed.json.snapshots).toHaveLength(1);
    // Different bytes are a new snapshot.
    clockTick(avesta, minute);
    const other = await upload(avesta.app, avesta.keys.integrator.key, id, png(8), 'image/png');
    expect(other.status, other.text).toBe(201);
    expect((await call(avesta.app, 'GET', `/v1/accounts/${id}/snapshots`, { key: avesta.keys.auditor.key })).json.snapshots).toHaveLength(2);
    avesta.clock.now = t0;
  });

  it('refuses a body that is not PDF or PNG with 415 problem+json, and a type that lies about its bytes', async () => {
    const id = await activeAccountOverHttp(avesta, { handle: 'wrong-types' });
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, 'hello', 'text/plain'), 415);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, pdf('as text'), 'text/plain'), 415);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, pdf('no type'), null), 415);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, png(2), 'application/json'), 415);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, png(3), 'application/pdf'), 415);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, pdf('as png'), 'image/png'), 415);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, Buffer.from('GIF89a........'), 'image/png'), 415);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, Buffer.from('not a pdf at all'), 'application/pdf'), 415);
    expect((await getAccount(avesta, id)).json.lastSnapshot).toBeNull();
    const listed = await call(avesta.app, 'GET', `/v1/accounts/${id}/snapshots`, { key: avesta.keys.auditor.key });
    expect(listed.json.snapshots).toEqual([]);
  });

  it('refuses an empty body with 400', async () => {
    const id = await activeAccountOverHttp(avesta, { handle: 'empty' });
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, Buffer.alloc(0), 'application/pdf'), 400);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, Buffer.alloc(0), 'image/png'), 400);
    expect((await historyOf(avesta, id)).map((e) => e.type)).toEqual(['PROPOSED', 'APPROVE']);
  });

  it('refuses a body over 20 MiB with 413 and accepts one of exactly 20 MiB', async () => {
    const id = await activeAccountOverHttp(avesta, { handle: 'large' });
    const head = pdf('large');
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    head.copy(big);
    const tooBig = expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, big, 'application/pdf'), 413);
    expect(tooBig.detail).toContain(String(20 * 1024 * 1024));
    expect((await getAccount(avesta, id)).json.lastSnapshot).toBeNull();
    const exact = big.subarray(0, 20 * 1024 * 1024);
    const ok = await upload(avesta.app, avesta.keys.officer.key, id, exact, 'application/pdf');
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.snapshot).toMatchObject({ sha256: sha256(exact), size: exact.length, format: 'pdf' });
  });

  it('lets the JSON routes keep their 1 MiB limit', async () => {
    const id = await activeAccountOverHttp(avesta, { handle: 'json-limit' });
    const result = await call(avesta.app, 'PATCH', `/v1/accounts/${id}`, {
      key: avesta.keys.admin.key, body: { purpose: 'x'.repeat(1024 * 1024 + 10) },
    });
    expectProblem(result, 413);
  });

  it('refuses an upload from the registrar and the auditor with 403', async () => {
    const id = await activeAccountOverHttp(avesta, { handle: 'upload-roles' });
    expectProblem(await upload(avesta.app, avesta.keys.registrar.key, id, png(20), 'image/png'), 403);
    expectProblem(await upload(avesta.app, avesta.keys.auditor.key, id, png(21), 'image/png'), 403);
    expect((await getAccount(avesta, id)).json.lastSnapshot).toBeNull();
    expect((await upload(avesta.app, avesta.keys.admin.key, id, png(22), 'image/png')).status).toBe(201);
  });

  it('refuses takenAt in the future (400), honours a past takenAt, and a stale If-Match (412)', async () => {
    const id = await activeAccountOverHttp(avesta, { handle: 'taken-at' });
    const future = encodeURIComponent(new Date(t0.getTime() + 60 * minute).toISOString());
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, png(30), 'image/png', `?takenAt=${future}`), 400);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, png(30), 'image/png', '', { 'if-match': '"9"' }), 412);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, id, png(30), 'image/png', '', { 'if-match': 'nine' }), 400);
    expect((await getAccount(avesta, id)).json.lastSnapshot).toBeNull();
    const past = '2026-11-22T12:00:00.000Z';
    const ok = await upload(avesta.app, avesta.keys.officer.key, id, png(30), 'image/png', `?takenAt=${encodeURIComponent(past)}`, {
      'if-match': '"2"',
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.account.lastSnapshot.takenAt).toBe(past);
  });

  it('under Tibro refuses a plain PDF with TI-12 and stores nothing; a PDF/A-1 with ?final=true makes CLOSE possible', async () => {
    const id = await activeAccountOverHttp(tibro, { handle: 'tibro-final' });
    const plain = pdf('not archival');
    const refused = expectProblem(await upload(tibro.app, tibro.keys.officer.key, id, plain, 'application/pdf', '?final=true'), 409);
    expect(refused.rule).toBe('TI-12');
    expectProblem(await getRaw(tibro.app, `/v1/accounts/${id}/snapshots/${sha256(plain)}`, tibro.keys.auditor.key), 404);
    expect(expectProblem(await upload(tibro.app, tibro.keys.officer.key, id, png(40), 'image/png'), 409).rule).toBe('TI-12');
    expect(expectProblem(await sendEvent(tibro, 'officer', id, { type: 'CLOSE', reason: 'Merged' }), 409).rule).toBe('AV-13');

    const archival = pdfa('final page');
    const stored = await upload(tibro.app, tibro.keys.integrator.key, id, archival, 'application/pdf', '?final=true');
    expect(stored.status, stored.text).toBe(201);
    expect(stored.json.snapshot.format).toBe('pdf/a-1');
    expect(stored.json.account.lastSnapshot).toMatchObject({ sha256: sha256(archival), final: true });
    const closed = await sendEvent(tibro, 'officer', id, { type: 'CLOSE', reason: 'Merged with the main channel' });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.status).toBe('closing');
    // A closing channel still takes snapshots.
    const after = await upload(tibro.app, tibro.keys.integrator.key, id, pdfa('after closing'), 'application/pdf');
    expect(after.status, after.text).toBe(201);
  });

  it('?final=false does not make CLOSE possible', async () => {
    const id = await activeAccountOverHttp(tibro, { handle: 'tibro-not-final' });
    const stored = await upload(tibro.app, tibro.keys.integrator.key, id, pdfa('not final'), 'application/pdf', '?final=false');
    expect(stored.status, stored.text).toBe(201);
    expect(stored.json.account.lastSnapshot.final).toBe(false);
    expect(expectProblem(await sendEvent(tibro, 'officer', id, { type: 'CLOSE', reason: 'x' }), 409).rule).toBe('AV-13');
    expectProblem(await upload(tibro.app, tibro.keys.integrator.key, id, pdfa('bad flag'), 'application/pdf', '?final=yes'), 400);
  });

  it('answers another organisation\'s key with 404 on upload, list and file, and leaks nothing', async () => {
    const id = await activeAccountOverHttp(avesta, { handle: 'avesta-private' });
    const bytes = png(50);
    const digest = sha256(bytes);
    expect((await upload(avesta.app, avesta.keys.officer.key, id, bytes, 'image/png')).status).toBe(201);

    for (const role of ['admin', 'officer', 'integrator'] as const) {
      const foreignUpload = await upload(avesta.app, tibro.keys[role].key, id, png(51), 'image/png');
      expectProblem(foreignUpload, 404);
      // Even the very same bytes: no 200 "already stored".
      const sameBytes = await upload(avesta.app, tibro.keys[role].key, id, bytes, 'image/png');
      expectProblem(sameBytes, 404);
      expect(sameBytes.text).not.toContain(digest);
    }
    for (const role of ['admin', 'auditor', 'officer'] as const) {
      const listed = await call(avesta.app, 'GET', `/v1/accounts/${id}/snapshots`, { key: tibro.keys[role].key });
      expectProblem(listed, 404);
      expect(listed.text).not.toContain(digest);
      const file = await getRaw(avesta.app, `/v1/accounts/${id}/snapshots/${digest}`, tibro.keys[role].key);
      expectProblem(file, 404);
      expect(file.bytes.includes(bytes)).toBe(false);
    }
    // The other account routes too.
    expectProblem(await call(avesta.app, 'GET', `/v1/accounts/${id}`, { key: tibro.keys.admin.key }), 404);
    expectProblem(await call(avesta.app, 'GET', `/v1/accounts/${id}/history`, { key: tibro.keys.auditor.key }), 404);
    expectProblem(await call(avesta.app, 'GET', `/v1/accounts/${id}/replay`, { key: tibro.keys.auditor.key }), 404);
    expectProblem(await call(avesta.app, 'PATCH', `/v1/accounts/${id}`, { key: tibro.keys.admin.key, body: { purpose: 'Hijacked' } }), 404);
    expectProblem(await call(avesta.app, 'POST', `/v1/accounts/${id}/events`, {
      key: tibro.keys.admin.key, body: { type: 'CLOSE', reason: 'Hijacked' },
    }), 404);
    // Nothing changed for the owner.
    const account = (await getAccount(avesta, id)).json;
    expect(account.purpose).toBe(accountBody.purpose);
    expect(account.status).toBe('active');
    const listed = await call(avesta.app, 'GET', `/v1/accounts/${id}/snapshots`, { key: avesta.keys.auditor.key });
    expect(listed.json.snapshots.map((s: any) => s.sha256)).toEqual([digest]);
  });

  it('stores the same bytes for two accounts and two organisations, each as its own snapshot', async () => {
    const bytes = png(70);
    const first = await activeAccountOverHttp(avesta, { handle: 'shared-bytes-1' });
    const second = await activeAccountOverHttp(avesta, { handle: 'shared-bytes-2' });
    const foreign = await activeAccountOverHttp(tibro, { handle: 'shared-bytes-tibro' });
    expect((await upload(avesta.app, avesta.keys.officer.key, first, bytes, 'image/png')).status).toBe(201);
    const again = await upload(avesta.app, avesta.keys.officer.key, second, bytes, 'image/png');
    expect(again.status, again.text).toBe(201);
    expect(again.json.account.id).toBe(second);
    // Tibro refuses PNG (TI-12): a refusal, not a clash with Avesta's copy.
    expect(expectProblem(await upload(tibro.app, tibro.keys.officer.key, foreign, bytes, 'image/png'), 409).rule).toBe('TI-12');
  });

  it('refuses an upload to a proposed account with 409 and stores nothing', async () => {
    const created = await propose(avesta, { ...accountBody, handle: 'upload-proposed' });
    const bytes = png(80);
    const refused = expectProblem(await upload(avesta.app, avesta.keys.officer.key, created.json.id, bytes, 'image/png'), 409);
    expect(refused.allowedEvents).not.toContain('SNAPSHOT');
    expectProblem(await getRaw(avesta.app, `/v1/accounts/${created.json.id}/snapshots/${sha256(bytes)}`, avesta.keys.auditor.key), 404);
  });

  it('answers an unknown sha256 with 404 and a malformed one with 400; no key with 401', async () => {
    const id = await activeAccountOverHttp(avesta, { handle: 'lookups' });
    expectProblem(await getRaw(avesta.app, `/v1/accounts/${id}/snapshots/${'c'.repeat(64)}`, avesta.keys.auditor.key), 404);
    expectProblem(await getRaw(avesta.app, `/v1/accounts/${id}/snapshots/${'C'.repeat(64)}`, avesta.keys.auditor.key), 400);
    expectProblem(await getRaw(avesta.app, `/v1/accounts/${id}/snapshots/xyz`, avesta.keys.auditor.key), 400);
    expectProblem(await getRaw(avesta.app, `/v1/accounts/${id}/snapshots`, null), 401);
    expectProblem(await call(avesta.app, 'GET', '/v1/accounts/nope/snapshots', { key: avesta.keys.auditor.key }), 404);
    expectProblem(await upload(avesta.app, avesta.keys.officer.key, 'nope', png(60), 'image/png'), 404);
  });
});

function clockTick(w: HttpWorld, ms: number) {
  w.clock.now = new Date(w.clock.now.getTime() + ms);
}

// ---------------------------------------------------------------------------------------------

describe('GET /v1/accounts/{id}/replay', () => {
  let t: TempDb;
  let w: HttpWorld;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
  });
  afterAll(() => t.cleanup());

  it('replays every event to the stored state, and fewer as of an earlier instant', async () => {
    w.clock.now = t0;
    const created = await propose(w, { ...accountBody, handle: 'replayed', substitute: undefined });
    const id = created.json.id;
    w.clock.now = later(1 * minute);
    expect((await call(w.app, 'PATCH', `/v1/accounts/${id}`, {
      key: w.keys.admin.key, body: { substitute: { name: 'S', email: 's@tibro.example' } },
    })).status).toBe(200);
    w.clock.now = later(2 * minute);
    expect((await sendEvent(w, 'admin', id, { type: 'APPROVE' })).status).toBe(200);
    w.clock.now = later(3 * minute);
    expect((await sendEvent(w, 'officer', id, { type: 'MONITORED', day: '2026-11-20' })).status).toBe(200);
    w.clock.now = later(4 * minute);
    expect((await upload(w.app, w.keys.integrator.key, id, pdfa('replay'), 'application/pdf', '?final=true')).status).toBe(201);
    w.clock.now = later(5 * minute);
    expect((await sendEvent(w, 'officer', id, { type: 'CLOSE', reason: 'Done' })).status).toBe(200);
    w.clock.now = later(10 * minute);

    const full = await call(w.app, 'GET', `/v1/accounts/${id}/replay`, { key: w.keys.auditor.key });
    expect(full.status, full.text).toBe(200);
    expect(full.json).toMatchObject({ eventsApplied: 6, status: 'closing', matchesStored: true });
    expect(full.json.problem).toBeUndefined();

    const beforeApproval = await call(w.app, 'GET', `/v1/accounts/${id}/replay?at=${encodeURIComponent(later(90_000).toISOString())}`, {
      key: w.keys.auditor.key,
    });
    expect(beforeApproval.status, beforeApproval.text).toBe(200);
    expect(beforeApproval.json).toMatchObject({ eventsApplied: 2, status: 'proposed' });
    expect(beforeApproval.json.asOf).toBe(later(90_000).toISOString());

    const afterApproval = await call(w.app, 'GET', `/v1/accounts/${id}/replay?at=${encodeURIComponent(later(2 * minute).toISOString())}`, {
      key: w.keys.auditor.key,
    });
    expect(afterApproval.json).toMatchObject({ eventsApplied: 3, status: 'active' });

    const beforeAll_ = await call(w.app, 'GET', `/v1/accounts/${id}/replay?at=${encodeURIComponent(later(-minute).toISOString())}`, {
      key: w.keys.auditor.key,
    });
    expect(beforeAll_.json.eventsApplied).toBe(0);
    expectProblem(await call(w.app, 'GET', `/v1/accounts/${id}/replay?at=yesterday`, { key: w.keys.auditor.key }), 400);
    w.clock.now = t0;
  });
});

// ---------------------------------------------------------------------------------------------

describe('the public channel register and GET /v1/accounts?status=', () => {
  let t: TempDb;
  let w: HttpWorld;
  let listed: string;
  let reviewed: string;
  let closing: string;
  let proposed: string;
  const injection = '<script>alert(1)</script> & "quotes"';

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro', 'tibro');
    listed = await activeAccountOverHttp(w, { handle: 'tibro-listed', purpose: `Library news ${injection}` });
    reviewed = await activeAccountOverHttp(w, { handle: 'tibro-quiet', platform: 'instagram' });
    closing = await activeAccountOverHttp(w, { handle: 'tibro-closing', platform: 'x' });
    proposed = String((await propose(w, { ...accountBody, handle: 'tibro-proposed', platform: 'youtube' })).json.id);
  });
  afterAll(() => t.cleanup());
  beforeEach(() => {
    w.clock.now = t0;
  });

  async function register(query = '', headers: Record<string, string> = {}) {
    return getRaw(w.app, `/v1/orgs/tibro/channels${query}`, null, headers);
  }

  it('lists active accounts in JSON with no key, the responsible person by name only and no "@" anywhere', async () => {
    const result = await register();
    expect(result.status, result.text).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^application\/json/);
    expect(result.json.organisation.slug).toBe('tibro');
    const ids = result.json.channels.map((c: any) => c.id);
    expect(ids.sort()).toEqual([listed, reviewed, closing].sort());
    expect(ids).not.toContain(proposed);
    const channel = result.json.channels.find((c: any) => c.id === listed);
    expect(channel).toEqual({
      id: listed, platform: 'facebook', handle: 'tibro-listed', url: accountBody.url, purpose: `Library news ${injection}`,
      audience: accountBody.audience, ownerUnit: accountBody.ownerUnit, responsible: { name: accountBody.responsible!.name },
    });
    expect(result.text).not.toContain('@');
    expect(result.text).not.toContain(accountBody.substitute!.name);
    expect(result.text).not.toContain('Admin Ett');
  });

  it('renders HTML for Accept: text/html and ?format=html, with the purpose escaped', async () => {
    for (const result of [await register('', { accept: 'text/html,application/xhtml+xml;q=0.9' }), await register('?format=html')]) {
      expect(result.status, result.text).toBe(200);
      expect(result.headers.get('content-type')).toMatch(/^text\/html/);
      expect(result.text).toContain('tibro-listed');
      expect(result.text).toContain('Library news');
      expect(result.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(result.text).not.toContain('<script>');
      expect(result.text).toContain('&amp; &quot;quotes&quot;');
      expect(result.text).toContain(accountBody.responsible!.name);
      // The page's CSS has an @media rule; no e-mail address appears.
      expect(result.text).not.toMatch(emailLike);
      expect(result.text).not.toContain(accountBody.responsible!.email!);
      expect(result.text).not.toContain('tibro-proposed');
    }
    // ?format=json wins over the Accept header.
    const json = await register('?format=json', { accept: 'text/html' });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.json.channels.length).toBeGreaterThan(0);
    expectProblem(await register('?format=xml'), 400);
  });

  it('answers an unknown organisation with 404 problem+json', async () => {
    expectProblem(await getRaw(w.app, '/v1/orgs/no-such-town/channels', null), 404);
    expectProblem(await getRaw(w.app, '/v1/orgs/no-such-town/channels?format=html', null), 404);
  });

  it('drops an account put to review_due (the review job, 8 days later) and one closing', async () => {
    // The quiet one gets its review: every other one has a fresh outbound or KEEP... here all are quiet,
    // so the job flags every active account; KEEP brings the listed ones back.
    const eightDaysLater = later(8 * day);
    const counts = await accountReview.run({ store: t.store, clock: () => eightDaysLater }, eightDaysLater);
    expect(counts.reviews).toBe(3);
    w.clock.now = eightDaysLater;
    expect((await getAccount(w, reviewed)).json.status).toBe('review_due');
    expect((await getAccount(w, reviewed)).json.flags.review).toMatchObject({ since: eightDaysLater.toISOString() });
    expect((await register()).json.channels).toEqual([]);
    for (const id of [listed, closing]) {
      const kept = await sendEvent(w, 'officer', id, { type: 'KEEP' });
      expect(kept.status, kept.text).toBe(200);
      expect(kept.json.status).toBe('active');
    }
    let ids = (await register()).json.channels.map((c: any) => c.id);
    expect(ids.sort()).toEqual([listed, closing].sort());
    expect(ids).not.toContain(reviewed);
    const html = await register('?format=html');
    expect(html.text).not.toContain('tibro-quiet');
    expect(html.text).toContain('tibro-closing');

    // Closing: a final snapshot, then CLOSE.
    expect((await upload(w.app, w.keys.integrator.key, closing, pdfa('closing'), 'application/pdf', '?final=true')).status).toBe(201);
    const closed = await sendEvent(w, 'officer', closing, { type: 'CLOSE', reason: 'No longer used' });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.status).toBe('closing');
    ids = (await register()).json.channels.map((c: any) => c.id);
    expect(ids).toEqual([listed]);
    expect((await register('?format=html')).text).not.toContain('tibro-closing');

    // GET /v1/accounts?status= filters by status.
    const byStatus = async (status: string) => {
      const result = await call(w.app, 'GET', `/v1/accounts?status=${status}`, { key: w.keys.auditor.key });
      expect(result.status, result.text).toBe(200);
      for (const account of result.json.accounts) expect(account.status).toBe(status);
      return result.json.accounts.map((a: any) => a.id);
    };
    expect(await byStatus('active')).toEqual([listed]);
    expect(await byStatus('review_due')).toEqual([reviewed]);
    expect(await byStatus('closing')).toEqual([closing]);
    expect(await byStatus('proposed')).toEqual([proposed]);
    expect(await byStatus('closed')).toEqual([]);
    const all = await call(w.app, 'GET', '/v1/accounts', { key: w.keys.auditor.key });
    expect(all.json.accounts.map((a: any) => a.id).sort()).toEqual([listed, reviewed, closing, proposed].sort());
    expectProblem(await call(w.app, 'GET', '/v1/accounts?status=bogus', { key: w.keys.auditor.key }), 400);
  });
});
