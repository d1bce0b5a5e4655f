// The pages in a real headless Chromium (Debian's, driven by playwright-core) against the server
// started as the README starts it: an officer signs in, finds an overdue item on Today, assesses
// and answers it through the forms, meets a guarded step's refusal with its rule id, replays the
// item as of an earlier instant; an auditor exports it and the package's manifest checks out.
// A screenshot of the item page is saved under test-results/browser/.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarium, repoRoot, startServer, type RunningServer } from '../helpers/processes.ts';

const outputDir = join(repoRoot, 'test-results', 'browser');
const dayMs = 24 * 60 * 60 * 1000;

describe('the officer and auditor pages in Chromium (tibro)', () => {
  let dir: string;
  let url: string;
  let server: RunningServer;
  let browser: Browser;
  const keys: Record<string, string> = {};
  const items: Record<string, string> = {};

  async function api(method: string, path: string, key: string, body?: unknown) {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as any };
  }

  async function signIn(page: Page, key: string) {
    await page.goto(`${server.baseUrl}/login`);
    await page.fill('input[name="key"]', key);
    await Promise.all([page.waitForURL(`${server.baseUrl}/`), page.click('button[type="submit"]')]);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-browser-'));
    url = `file:${join(dir, 'browser.db')}`;
    server = await startServer(url, { SCHEDULES: 'off' });
    keys.admin = String(server.lines.find((line) => line.org === 'tibro')!.key);
    for (const role of ['integrator', 'officer', 'auditor']) {
      keys[role] = JSON.parse((await diarium(['keys', 'add', '--org', 'tibro', '--role', role], url)).stdout).key;
    }
    const account = await api('POST', '/v1/accounts', keys.admin!, {
      platform: 'facebook', handle: 'tibrokommun', url: 'https://facebook.com/tibrokommun', purpose: 'News and questions',
      audience: 'Residents', ownerUnit: 'Communications', responsible: { name: 'R One' }, substitute: { name: 'S Two' },
      admins: [{ name: 'A' }, { name: 'B' }], profile: { contact: true, moderationNotice: true },
    });
    expect((await api('POST', `/v1/accounts/${account.json.id}/events`, keys.admin!, { type: 'APPROVE' })).status).toBe(200);
    // A week old: its assessment deadline has passed whatever the weekdays and holidays.
    const receivedAt = new Date(Date.now() - 7 * dayMs).toISOString();
    for (const [name, text] of <const>[['question', 'When does the library open? <script>window.__xss = 1</script>'], ['insult', 'You are all idiots']]) {
      const item = await api('POST', '/v1/items', keys.integrator!, {
        accountId: account.json.id, externalId: `fb-${name}`, kind: 'comment', direction: 'inbound',
        author: { handle: 'resident' }, text, receivedAt,
      });
      expect(item.status).toBe(201);
      items[name] = item.json.id;
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    mkdirSync(outputDir, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets an officer find an overdue item, assess and answer it, meet a refusal, and replay it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, keys.officer!);

    // Today: the week-old question is overdue for assessment.
    await page.click(`#overdue a[href="/items/${items.question}"]`);
    await expect.poll(() => page.url()).toBe(`${server.baseUrl}/items/${items.question}`);
    expect(await page.textContent('#content')).toContain('<script>window.__xss = 1</script>');
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();

    const assess = page.locator('form[data-event="ASSESS"]');
    await assess.locator('select[name="decision"]').selectOption('answer');
    await assess.locator('input[name="categories"][value="question"]').check();
    await assess.locator('select[name="registration"]').selectOption('not_required');
    await Promise.all([page.waitForLoadState('load'), assess.locator('button[type="submit"]').click()]);
    await page.waitForSelector('form[data-event="ANSWER"]');
    const answer = page.locator('form[data-event="ANSWER"]');
    await answer.locator('textarea[name="text"]').fill('The library opens at ten.');
    await Promise.all([page.waitForLoadState('load'), answer.locator('button[type="submit"]').click()]);
    await expect.poll(async () => (await api('GET', `/v1/items/${items.question}`, keys.officer!)).json.status).toBe('answered');
    const timeline = await page.textContent('#timeline');
    for (const type of ['RECEIVED', 'DEADLINE_BREACHED', 'ASSESS', 'ANSWER']) expect(timeline).toContain(type);
    expect(await page.textContent('#verification')).toContain('Verified');
    await page.screenshot({ path: join(outputDir, 'item-page.png'), fullPage: true });

    // Replay as of the first event: the item as it was received.
    await page.goto(`${server.baseUrl}/items/${items.question}?seq=1#replay`);
    expect(await page.textContent('#replay-result .replay-status')).toBe('received');

    // The insult, assessed for removal: UNPUBLISH before its evidence is captured is refused (TI-14).
    await page.goto(`${server.baseUrl}/items/${items.insult}`);
    const assessInsult = page.locator('form[data-event="ASSESS"]');
    await assessInsult.locator('select[name="decision"]').selectOption('unpublish');
    await assessInsult.locator('input[name="categories"][value="defamation"]').check();
    await assessInsult.locator('select[name="registration"]').selectOption('required');
    await Promise.all([page.waitForLoadState('load'), assessInsult.locator('button[type="submit"]').click()]);
    await page.click('#guarded summary');
    const unpublish = page.locator('#guarded form[data-event="UNPUBLISH"]');
    await unpublish.locator('input[name="reason"]').fill('Defamation');
    await unpublish.locator('input[name="categories"][value="defamation"]').check();
    await Promise.all([page.waitForLoadState('load'), unpublish.locator('button[type="submit"]').click()]);
    const problem = await page.textContent('#problem');
    expect(problem).toContain('TI-14');
    expect(problem).toMatch(/removed promptly/);
    await page.close();
  });

  it('reads on a phone: no page is wider than the screen', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(phone, keys.officer!);
    for (const path of ['/', '/items', `/items/${items.question}`, '/accounts']) {
      await phone.goto(server.baseUrl + path);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(390);
    }
    await phone.goto(`${server.baseUrl}/items/${items.question}`);
    await phone.screenshot({ path: join(outputDir, 'item-page-phone.png'), fullPage: true });
    await phone.close();
  });

  it('lets an auditor export the item as a package whose manifest matches its files', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    await signIn(page, keys.auditor!);
    await page.goto(`${server.baseUrl}/audit`);
    await page.fill('#export input[name="itemId"]', items.question!);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-item button[type="submit"]')]);
    const path = join(outputDir, download.suggestedFilename());
    await download.saveAs(path);
    const files = unzipSync(new Uint8Array(readFileSync(path)));
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']!));
    const listed = manifest.files as Array<{ path: string; sha256: string; size: number }>;
    expect(listed.map((f) => f.path)).toEqual(expect.arrayContaining(['items.json', 'events.json', `timeline/${items.question}.pdf`]));
    for (const file of listed) {
      const bytes = files[file.path]!;
      expect(createHash('sha256').update(bytes).digest('hex'), file.path).toBe(file.sha256);
      expect(bytes.length).toBe(file.size);
    }
    const exported = JSON.parse(new TextDecoder().decode(files['items.json']!));
    expect(JSON.stringify(exported)).toContain(items.question!);
    expect(new TextDecoder().decode(files[`timeline/${items.question}.pdf`]!.subarray(0, 5))).toBe('%PDF-');
    await page.close();
  });
});
