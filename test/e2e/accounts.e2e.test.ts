// A channel's life over the started server and the diarium CLI: proposed with an incomplete profile
// and refused, amended and approved, snapshotted by upload, reviewed when quiet (off the public
// register), kept, flagged short of administrators, refused closing without a final snapshot,
// closed after one, its items thinned and the account closed by the schedules; the ledger verifies.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarium, startServer, type RunningServer } from '../helpers/processes.ts';

const dayMs = 24 * 60 * 60 * 1000;
const pdfA = (marker: string) =>
  Buffer.from(`%PDF-1.4\n<x:xmpmeta><pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></x:xmpmeta>\n% ${marker}\n%%EOF\n`, 'latin1');

describe('a channel walked through its lifecycle over HTTP and the CLI (tibro)', () => {
  let dir: string;
  let url: string;
  let server: RunningServer;
  const keys: Record<string, string> = {};

  async function http(method: string, path: string, key: string | null, body?: unknown, type = 'application/json') {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': type } : {}) },
      ...(body !== undefined ? { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as any };
  }

  async function sweep(now: Date, job?: string) {
    const run = await diarium(['sweep', '--now', now.toISOString(), ...(job ? ['--job', job] : [])], url);
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout).jobs as Record<string, { ran: boolean; counts: Record<string, number> }>;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-accounts-'));
    url = `file:${join(dir, 'accounts.db')}`;
    server = await startServer(url, { SCHEDULES: 'off' });
    keys.admin = String(server.lines.find((line) => line.org === 'tibro')!.key);
    for (const role of ['integrator', 'officer']) {
      keys[role] = JSON.parse((await diarium(['keys', 'add', '--org', 'tibro', '--role', role], url)).stdout).key;
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes from proposal to closed, with every refusal citing its rule', async () => {
    const start = Date.now();
    const proposal = await http('POST', '/v1/accounts', keys.admin!, {
      platform: 'instagram', handle: 'tibro_fritid', url: 'https://instagram.com/tibro_fritid', purpose: 'Leisure news',
      audience: 'Young residents', ownerUnit: 'Leisure', responsible: { name: 'R One', email: 'r@tibro.example' },
      substitute: { name: 'S Two' }, admins: [{ name: 'A' }, { name: 'B' }], profile: { contact: true },
    });
    expect(proposal.status).toBe(201);
    const id = proposal.json.id as string;

    // TI-16: the profile must tell visitors that offending content is removed within 48 hours.
    const refused = await http('POST', `/v1/accounts/${id}/events`, keys.admin!, { type: 'APPROVE' });
    expect(refused).toMatchObject({ status: 409, json: { rule: 'TI-16' } });
    expect((await http('PATCH', `/v1/accounts/${id}`, keys.admin!, { profile: { moderationNotice: true } })).status).toBe(200);
    expect((await http('POST', `/v1/accounts/${id}/events`, keys.admin!, { type: 'APPROVE' })).json.status).toBe('active');
    const register = async () => (await http('GET', '/v1/orgs/tibro/channels', null)).json.channels.map((c: { id: string }) => c.id);
    expect(await register()).toContain(id);

    // TI-12: a PDF/A-1 snapshot, uploaded as a file and recorded by its sha256.
    const file = pdfA('half-year');
    const upload = await http('POST', `/v1/accounts/${id}/snapshots`, keys.officer!, file, 'application/pdf');
    expect(upload).toMatchObject({ status: 201, json: { snapshot: { format: 'pdf/a-1', sha256: createHash('sha256').update(file).digest('hex') } } });

    // TI-5: eight quiet days put the account under review, which takes it off the register (UP-6).
    // At 12:00 UTC, at least eight days on: the hour after it stays within the same local day, so
    // the monitoring check an hour later finds no newly ended weekday, whatever time the test runs.
    const quiet = new Date(Math.ceil((start + 8 * dayMs) / dayMs) * dayMs + 12 * 3_600_000);
    expect((await sweep(quiet, 'account-review'))['account-review']!.counts).toEqual({ reviews: 1 });
    expect((await http('GET', `/v1/accounts/${id}`, keys.officer!)).json.status).toBe('review_due');
    expect(await register()).not.toContain(id);
    // Run again as of the same instant, or an hour later, the review finds nothing new.
    expect((await sweep(quiet, 'account-review'))['account-review']).toEqual({ ran: true, counts: { reviews: 0 } });
    expect((await sweep(new Date(quiet.getTime() + 3_600_000), 'account-review'))['account-review']!.counts).toEqual({ reviews: 0 });
    // Nobody recorded MONITORED: every ended weekday since approval is missed once (TI-2).
    const missed = (await sweep(quiet, 'monitoring')).monitoring!.counts.missed!;
    expect(missed).toBeGreaterThanOrEqual(4);
    expect((await sweep(new Date(quiet.getTime() + 3_600_000), 'monitoring')).monitoring!.counts.missed).toBe(0);

    expect((await http('POST', `/v1/accounts/${id}/events`, keys.officer!, { type: 'KEEP' })).json.status).toBe('active');
    expect(await register()).toContain(id);

    // TI-4: one administrator left is flagged by the administrator check.
    expect((await http('PATCH', `/v1/accounts/${id}`, keys.admin!, { admins: [{ name: 'A' }] })).status).toBe(200);
    expect((await sweep(quiet, 'admin-check'))['admin-check']!.counts).toEqual({ flagged: 1 });
    expect((await http('GET', `/v1/accounts/${id}`, keys.officer!)).json.flags.adminsShort).toBe(true);

    // An item that arrives and is handled with no action stays until the channel is closed.
    const item = await http('POST', '/v1/items', keys.integrator!, {
      accountId: id, externalId: 'ig-1', kind: 'comment', direction: 'inbound', author: { handle: 'someone' }, text: 'Nice!',
    });
    expect(item.status).toBe(201);
    const assessed = await http('POST', `/v1/items/${item.json.id}/events`, keys.officer!, {
      type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required',
    });
    expect(assessed.status).toBe(200);

    // AV-13: closing needs a final snapshot first.
    const close = { type: 'CLOSE', reason: 'The leisure unit merged into culture' };
    expect(await http('POST', `/v1/accounts/${id}/events`, keys.officer!, close)).toMatchObject({ status: 409, json: { rule: 'AV-13' } });
    const final = await http('POST', `/v1/accounts/${id}/snapshots?final=true`, keys.officer!, pdfA('final'), 'application/pdf');
    expect(final.status).toBe(201);
    expect((await http('POST', `/v1/accounts/${id}/events`, keys.officer!, close)).json.status).toBe('closing');

    // AV-14, TI-13: the closed channel's item of temporary value is thinned at once; then the account closes.
    const jobs = await sweep(quiet);
    expect(jobs.thinning!.counts.thinned).toBe(1);
    expect(jobs['account-closing']!.counts).toEqual({ closed: 1 });
    expect((await http('GET', `/v1/items/${item.json.id}`, keys.officer!)).json).toMatchObject({ status: 'thinned', content: null });
    const account = await http('GET', `/v1/accounts/${id}`, keys.officer!);
    expect(account.json).toMatchObject({ status: 'closed', allowedEvents: [] });
    // The sweeps ran as of a later --now, so replay is asked as of after them.
    const replay = await http('GET', `/v1/accounts/${id}/replay?at=${new Date(quiet.getTime() + dayMs).toISOString()}`, keys.officer!);
    expect(replay.json).toMatchObject({ matchesStored: true, status: 'closed' });

    const verify = await diarium(['verify', '--org', 'tibro'], url);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, breaks: [] });
  }, 120_000); // a dozen CLI processes, each starting tsx
});
