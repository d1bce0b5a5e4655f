// Archive exports over HTTP: a job that starts with 202, runs beside other requests, is never
// built twice at once, ends as events in the organisation's chain, and downloads as a tar whose
// SHA-256 is in its headers; a job interrupted by a restart reads as failed; roles and tenancy.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../db/access/api-keys.ts';
import { startExport } from '../../db/archive/export-jobs.ts';
import { verifyPackage } from '../../db/archive/verify-package.ts';
import { exportJobs, ledgerEvents } from '../../db/schema.ts';
import { createApp, type App } from '../../server/app.ts';
import { archiveOrganisation, type ArchiveOrg } from '../helpers/archive-org.ts';
import { organisation, t0 } from '../helpers/fixtures.ts';
import { call, expectProblem } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';
import { eq } from 'drizzle-orm';

const schemaDir = process.env.ARCHIVE_SCHEMAS ?? join(import.meta.dirname, '../../../shared/schemas');
const hasSchemas = existsSync(join(schemaDir, 'noark5-v5.0'));
if (!hasSchemas) console.log(`exports.http.test.ts: the package tests did not run: no official schemas at ${schemaDir} (set ARCHIVE_SCHEMAS)`);

let t: TempDb;
let o: ArchiveOrg;
let work: string;
let app: App;
let bare: App;
const keys: Record<string, string> = {};
let otherAuditor: string;
const clock = { now: new Date('2026-12-01T08:00:00Z') };
const period = { format: 'noark5', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

beforeAll(async () => {
  t = await tempDb();
  o = await archiveOrganisation(t.store);
  for (const role of ['auditor', 'admin', 'officer'] as const) keys[role] = (await createApiKey(t.store, o.org.id, role, t0)).key;
  const other = await organisation(t.store, 'tibro');
  otherAuditor = (await createApiKey(t.store, other.id, 'auditor', t0)).key;
  work = mkdtempSync(join(tmpdir(), 'diarium-exports-http-'));
  app = createApp({ store: t.store, clock: () => clock.now, rateLimit: null, archive: { schemaDir, exportsDir: join(work, 'exports') } }, () => {});
  bare = createApp({ store: t.store, clock: () => clock.now, rateLimit: null }, () => {});
}, 60_000);
afterAll(() => {
  t?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function until(id: string, key = keys.auditor!) {
  for (let i = 0; i < 600; i++) {
    const job = await call(app, 'GET', `/v1/exports/${id}`, { key });
    if (job.json.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the export did not finish');
}

describe('POST /v1/exports refusals', () => {
  it('is for auditors and admins only', async () => {
    expectProblem(await call(app, 'POST', '/v1/exports', { key: keys.officer, body: period }), 403);
  });

  it('refuses a bad period or format with 400 and starts nothing', async () => {
    expectProblem(await call(app, 'POST', '/v1/exports', { key: keys.auditor, body: { ...period, from: period.to, to: period.from } }), 400);
    expectProblem(await call(app, 'POST', '/v1/exports', { key: keys.auditor, body: { ...period, format: 'zip' } }), 400);
    expectProblem(await call(app, 'POST', '/v1/exports', { key: keys.auditor, body: { ...period, accountId: 'nope' } }), 400);
    expect(await t.store.db.select().from(exportJobs)).toEqual([]);
  });

  it('refuses without the official schemas and says where to get them', async () => {
    const refused = expectProblem(await call(bare, 'POST', '/v1/exports', { key: keys.auditor, body: period }), 409);
    expect(refused.detail).toContain('ARCHIVE_SCHEMAS');
    expect(refused.detail).toContain('arkivverket/schemas');
  });
});

describe.runIf(hasSchemas)('an export job', () => {
  it('starts with 202, is not built twice at once, ends done with a tar that verifies, and its start and result are in the chain', async () => {
    const started = await call(app, 'POST', '/v1/exports', { key: keys.auditor, body: period });
    expect(started.status, started.text).toBe(202);
    expect(started.json).toMatchObject({ id: expect.any(String), status: 'running', progress: { done: 0, total: 0 } });
    const again = expectProblem(await call(app, 'POST', '/v1/exports', { key: keys.admin, body: period }), 409);
    expect(again.detail).toContain(started.json.id);
    // The server answers other requests while the job runs.
    expect((await call(app, 'GET', '/v1/items?limit=1', { key: keys.officer })).status).toBe(200);

    const done = await until(started.json.id);
    expect(done.json).toMatchObject({ status: 'done', progress: { done: 7, total: 7 }, validation: { ok: true, errors: [] }, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const tar = await app.request(`/v1/exports/${started.json.id}/package`, { headers: { authorization: `Bearer ${keys.auditor}` } });
    expect(tar.status).toBe(200);
    expect(tar.headers.get('content-type')).toBe('application/x-tar');
    const bytes = Buffer.from(await tar.arrayBuffer());
    expect(bytes.length).toBe(done.json.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(tar.headers.get('x-checksum-sha256'));
    expect(tar.headers.get('x-checksum-sha256')).toBe(done.json.sha256);
    writeFileSync(join(work, 'download.tar'), bytes);
    expect((await verifyPackage(join(work, 'download.tar'), schemaDir)).faults).toEqual([]);

    const events = await t.store.db.select().from(ledgerEvents).where(eq(ledgerEvents.subjectId, started.json.id));
    expect(events.map((e) => [e.type, e.seq, e.actorRole])).toEqual([['EXPORT_STARTED', 1, 'auditor'], ['EXPORT_DONE', 2, 'system']]);
    expect((await call(app, 'GET', '/v1/audit/verify', { key: keys.auditor })).json.ok).toBe(true);

    expectProblem(await call(app, 'GET', `/v1/exports/${started.json.id}`, { key: otherAuditor }), 404);
    expectProblem(await call(app, 'GET', `/v1/exports/${started.json.id}/package`, { key: otherAuditor }), 404);
  }, 120_000);

  it('reads a job whose process stopped as failed, with an event, and lets the package start again', async () => {
    const body = { ...period, format: 'eark-sip' as const };
    // A job started by a process that then ended: it was never run, and its heartbeat is old.
    const orphan = await startExport(t.store, { orgId: o.org.id, ...body, actor: { keyId: null, role: 'auditor' }, now: new Date('2026-11-30T00:00:00Z') });
    if (!orphan.ok) throw new Error(orphan.detail);
    const job = await call(app, 'GET', `/v1/exports/${orphan.job.id}`, { key: keys.auditor });
    expect(job.json).toMatchObject({ status: 'failed', error: expect.stringContaining('start the export again') });
    expectProblem(await call(app, 'GET', `/v1/exports/${orphan.job.id}/package`, { key: keys.auditor }), 409);
    const events = await t.store.db.select().from(ledgerEvents).where(eq(ledgerEvents.subjectId, orphan.job.id));
    expect(events.map((e) => e.type)).toEqual(['EXPORT_STARTED', 'EXPORT_FAILED']);
    const restarted = await call(app, 'POST', '/v1/exports', { key: keys.auditor, body });
    expect(restarted.status).toBe(202);
    expect((await until(restarted.json.id)).json.status).toBe('done');
    expect((await call(app, 'GET', '/v1/audit/verify', { key: keys.auditor })).json.ok).toBe(true);
  }, 120_000);
});
