// The audit pages in process: the role gate, chunked ledger verification with its progress and a
// tampered row found, the thinning decisions, and the export package (zip with manifest sums,
// items, events, thinning decisions and a PDF timeline per item), only of the key's organisation.
import { createHash, createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { policyOf } from '../../db/organisations.ts';
import { thinningGrounds, thinUnderDecision } from '../../db/items/thinning.ts';
import { verifyLedger, verifyLedgerChunk } from '../../db/ledger/verify.ts';
import type { App } from '../../server/app.ts';
import { t0 } from '../helpers/fixtures.ts';
import { activeAccountOverHttp, historyOf, httpWorld, ingest, step, type HttpWorld } from '../helpers/http.ts';
import { getPage, signIn, type Session } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const get = getPage;

const unescape = (href: string) => href.replace(/&amp;/g, '&');
const nextLink = (html: string) => {
  const found = /<a rel="next" href="([^"]+)"/.exec(html)?.[1];
  return found ? unescape(found) : null;
};

/** Follows the verification's chunks to the end; returns the pages seen. */
async function verifyAll(app: App, session: Session, start: string) {
  const pages: string[] = [];
  let path: string | null = start;
  while (path) {
    const page = await get(app, session, path);
    expect(page.status, page.html).toBe(200);
    pages.push(page.html);
    path = nextLink(page.html);
    if (path) expect(page.headers.get('refresh')).toContain(path);
    expect(pages.length).toBeLessThan(100);
  }
  return pages;
}

const noAction = { type: 'ASSESS', decision: 'no_action', categories: ['off_topic'], registration: 'not_required' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('audit pages', () => {
  let t: TempDb;
  let w: HttpWorld;
  let accountId: string;

  beforeEach(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    accountId = await activeAccountOverHttp(w);
  });
  afterEach(() => t.cleanup());

  it('is forbidden to an officer and open to an auditor and an admin', async () => {
    const officer = await signIn(w.app, w.keys.officer.key);
    for (const path of ['/audit', '/audit/verify', `/audit/export?itemId=${accountId}`]) {
      const page = await get(w.app, officer, path);
      expect(page.status, path).toBe(403);
      expect(page.html).toContain('auditor and admin');
    }
    for (const role of ['auditor', 'admin'] as const) {
      const page = await get(w.app, await signIn(w.app, w.keys[role].key), '/audit');
      expect(page.status).toBe(200);
      expect(page.html).toContain('Ledger verification');
      expect(page.html).toContain('action="/audit/export"');
      expect(page.html).toContain('Thinning decisions');
    }
  });

  it('verifies the ledger over several chunks, then finds a tampered payload', async () => {
    for (let i = 0; i < 3; i += 1) {
      const item = await ingest(w, accountId, { text: `Question ${i}` });
      await step(w, 'officer', item.id, noAction);
    }
    const total = (await verifyLedger(t.store.db, w.org.id)).events;
    expect(total).toBeGreaterThanOrEqual(5);
    const auditor = await signIn(w.app, w.keys.auditor.key);
    let pages = await verifyAll(w.app, auditor, '/audit/verify?chunk=2');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[0]).toContain(`Verified <span data-verified="2">2</span> of <span data-total="${total}">`);
    expect(pages.at(-1)).toContain('data-verification="ok"');
    expect(pages.at(-1)).toContain(`data-verified="${total}"`);

    // The chunked walk agrees with the whole walk from every starting point.
    for (let after = 0; after <= total; after += 1) {
      const chunk = await verifyLedgerChunk(t.store.db, w.org.id, after, 2);
      expect(chunk!.breaks).toEqual([]);
    }

    // Tamper with the payload of the third event, directly in SQL.
    await t.store.db.run(sql`update ledger_events set payload = json_set(payload, '$.tampered', 1) where org_id = ${w.org.id} and org_seq = 3`);
    expect((await verifyLedger(t.store.db, w.org.id)).ok).toBe(false);
    pages = await verifyAll(w.app, auditor, '/audit/verify?chunk=2');
    const last = pages.at(-1)!;
    expect(last).toContain('data-verification="broken"');
    expect(last).toContain('hash does not match the event (edited)');
    expect(last).toContain('<td>3</td>');

    // A forged link (skipping to the end) is not accepted.
    const forged = await get(w.app, auditor, `/audit/verify?at=${total}&chunk=2&n=0&b=&sig=AAAA`);
    expect(forged.status).toBe(400);
    expect(forged.html).not.toContain('data-verification="ok"');
    // Nor one signed with the CSRF token, which every page shows: links are signed with a secret
    // derived from the HttpOnly session token.
    const bySeen = createHmac('sha256', auditor.csrf).update(`${w.org.id}|${total}|2|0|`).digest('base64url');
    const forgedWithCsrf = await get(w.app, auditor, `/audit/verify?at=${total}&chunk=2&n=0&b=&sig=${bySeen}`);
    expect(forgedWithCsrf.status).toBe(400);
  });

  it('exports one item as a zip whose manifest sums match, with items, events, decisions and a PDF', async () => {
    const kept = await ingest(w, accountId, { text: 'Kept <question> åäö → ✓' });
    const thinned = await ingest(w, accountId, { text: 'Temporary chatter' });
    await step(w, 'officer', thinned.id, noAction);
    const ground = thinningGrounds(policyOf(w.org), t0)[0]!;
    const decision = await thinUnderDecision(t.store, { org: w.org, ground, itemIds: [thinned.id], job: 'test', now: t0 });
    expect(decision).not.toBeNull();

    const admin = await signIn(w.app, w.keys.admin.key);
    const audit = await get(w.app, admin, '/audit');
    expect(audit.html).toContain(decision!.id);

    for (const item of [kept, thinned]) {
      const response = await get(w.app, admin, `/audit/export?itemId=${item.id}`);
      expect(response.status, response.html).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="diarium-export-tibro-[^"]+\.zip"$/);
      const files = unzipSync(response.bytes);
      const manifest = JSON.parse(strFromU8(files['manifest.json']!));
      const listed = manifest.files.map((file: { path: string }) => file.path).sort();
      expect(listed).toEqual(Object.keys(files).filter((path) => path !== 'manifest.json').sort());
      expect(listed).toEqual(['events.json', 'items.json', 'thinning-decisions.json', `timeline/${item.id}.pdf`]);
      for (const file of manifest.files) {
        expect(sha256(files[file.path]!)).toBe(file.sha256);
        expect(files[file.path]!.length).toBe(file.size);
      }
      expect(manifest.howToCheck.join(' ')).toContain('sha256');

      const items = JSON.parse(strFromU8(files['items.json']!));
      expect(items.map((entry: { id: string }) => entry.id)).toEqual([item.id]);
      const events = JSON.parse(strFromU8(files['events.json']!));
      const history = await historyOf(w, item.id);
      expect(events.map((event: { hash: string }) => event.hash)).toEqual(history.map((event) => event.hash));
      expect(events.every((event: { subjectId: string; hash: string }) => event.subjectId === item.id && /^[0-9a-f]{64}$/.test(event.hash))).toBe(true);
      expect(events[0].type).toBe('RECEIVED');
      const pdf = files[`timeline/${item.id}.pdf`]!;
      expect(strFromU8(pdf.slice(0, 5))).toBe('%PDF-');
      const document = await PDFDocument.load(pdf);
      expect(document.getPageCount()).toBeGreaterThanOrEqual(1);
      expect(document.getTitle()).toBe(`Timeline of item ${item.id}`);
      const decisions = JSON.parse(strFromU8(files['thinning-decisions.json']!));
      if (item === kept) {
        expect(items[0].content.text).toBe('Kept <question> åäö → ✓');
        expect(decisions).toEqual([]);
      } else {
        expect(items[0].content).toBeNull();
        expect(items[0].thinned).toMatchObject({ at: t0.toISOString() });
        expect(decisions.map((entry: { id: string }) => entry.id)).toEqual([decision!.id]);
        expect(events.at(-1).type).toBe('THIN');
      }
    }
  });

  it('exports a range, refuses a bad one, and never shows another organisation\'s item', async () => {
    const item = await ingest(w, accountId);
    const auditor = await signIn(w.app, w.keys.auditor.key);
    const range = await get(w.app, auditor, '/audit/export?from=2026-11-23&to=2026-11-23');
    expect(range.status, range.html).toBe(200);
    const files = unzipSync(range.bytes);
    expect(JSON.parse(strFromU8(files['items.json']!)).map((entry: { id: string }) => entry.id)).toEqual([item.id]);
    expect(files[`timeline/${item.id}.pdf`]).toBeDefined();
    const empty = await get(w.app, auditor, '/audit/export?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z');
    expect(empty.status).toBe(200);
    expect(JSON.parse(strFromU8(unzipSync(empty.bytes)['items.json']!))).toEqual([]);
    expect((await get(w.app, auditor, '/audit/export?from=yesterday&to=2026-11-23')).status).toBe(400);
    expect((await get(w.app, auditor, '/audit/export?from=2026-11-24&to=2026-11-23')).status).toBe(400);
    expect((await get(w.app, auditor, '/audit/export')).status).toBe(400);

    const other = await httpWorld(t, 'avesta');
    const foreignAccount = await activeAccountOverHttp(other, { handle: 'elsewhere' });
    const foreign = await ingest(other, foreignAccount);
    const refused = await get(w.app, auditor, `/audit/export?itemId=${foreign.id}`);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    // …and a range never reaches into it.
    const mine = unzipSync((await get(w.app, auditor, '/audit/export?from=2026-01-01&to=2026-12-31')).bytes);
    expect(JSON.parse(strFromU8(mine['items.json']!)).map((entry: { id: string }) => entry.id)).toEqual([item.id]);
  });
});
