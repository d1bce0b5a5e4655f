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

  it('escapes stored text on every page that shows it: no payload in any field runs', async () => {
    // Three payloads (element, attribute break-out, script), each in every text field a page shows.
    const payloads = ['<img src=x onerror="window.__xss=1">', '"><svg onload=window.__xss=1>', '<script>window.__xss=1</script>'];
    const x = (label: string, n: number) => `${label} ${payloads[n % payloads.length]}`;
    const registrar = JSON.parse((await diarium(['keys', 'add', '--org', 'tibro', '--role', 'registrar'], url)).stdout).key as string;
    const ok = async (result: Promise<{ status: number; json: any }>, status = 200) => {
      const r = await result;
      expect(r.status, JSON.stringify(r.json)).toBe(status);
      return r.json;
    };
    // Accounts: every registry field, the handle in every list, the closing reason.
    const accountBody = (n: number) => ({
      platform: 'instagram', handle: x('handle', n), url: 'https://example.org/kanal', purpose: x('purpose', n + 1), audience: x('audience', n + 2),
      ownerUnit: x('unit', n), responsible: { name: x('responsible', n + 1), email: 'r@example.org' }, substitute: { name: x('substitute', n + 2) },
      admins: [{ name: x('admin one', n) }, { name: x('admin two', n + 1) }], profile: { contact: true, moderationNotice: true },
    });
    const accountIds: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      const account = await ok(api('POST', '/v1/accounts', keys.admin!, accountBody(n)), 201);
      await ok(api('POST', `/v1/accounts/${account.id}/events`, keys.admin!, { type: 'APPROVE' }));
      accountIds.push(account.id);
    }
    await ok(api('POST', '/v1/accounts', keys.admin!, { platform: 'x', handle: x('proposed', 2), purpose: x('proposed purpose', 0) }), 201);
    await ok(api('POST', `/v1/accounts/${accountIds[2]}/events`, keys.admin!, {
      type: 'SNAPSHOT', sha256: 'a'.repeat(64), format: 'pdf/a-1', takenAt: new Date().toISOString(), final: true,
    }));
    await ok(api('POST', `/v1/accounts/${accountIds[2]}/events`, keys.admin!, { type: 'CLOSE', reason: x('closing reason', 0) }));
    // Items: content, author, and every event's free text (note, answer, referral, forward, hold, registration, thinning).
    const receivedAt = new Date(Date.now() - 7 * dayMs).toISOString();
    const newItem = async (n: number, kind = 'comment') => (await ok(api('POST', '/v1/items', keys.integrator!, {
      accountId: accountIds[n % 2], externalId: x('ext', n), kind, direction: 'inbound', author: { handle: x('author', n), name: x('name', n + 1) },
      text: x('text', n + 2), receivedAt, inReplyTo: x('in reply to', n), url: 'https://example.org/post',
    }), 201)).id as string;
    const answered = await newItem(0);
    await ok(api('POST', `/v1/items/${answered}/events`, keys.officer!, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required', note: x('note', 0) }));
    await ok(api('POST', `/v1/items/${answered}/events`, keys.officer!, { type: 'ACKNOWLEDGE', text: x('acknowledgement', 1) }));
    await ok(api('POST', `/v1/items/${answered}/events`, keys.officer!, { type: 'ANSWER', text: x('answer', 2), referredTo: x('referred', 0) }));
    await ok(api('POST', `/v1/items/${answered}/events`, registrar, { type: 'REGISTER', number: x('number', 1), caseRef: x('case', 2) }));
    const forwarded = await newItem(1);
    await ok(api('POST', `/v1/items/${forwarded}/events`, keys.officer!, { type: 'ASSESS', decision: 'forward', categories: ['question'], registration: 'not_required', note: x('note', 1) }));
    await ok(api('POST', `/v1/items/${forwarded}/events`, keys.officer!, { type: 'FORWARD', to: x('forward to', 2) }));
    await ok(api('POST', `/v1/items/${forwarded}/events`, registrar, { type: 'HOLD', reason: x('hold', 0) }));
    const thinned = await newItem(2);
    await ok(api('POST', `/v1/items/${thinned}/events`, keys.officer!, { type: 'ASSESS', decision: 'no_action', categories: ['off_topic'], registration: 'not_required' }));
    await ok(api('POST', `/v1/items/${thinned}/events`, registrar, { type: 'HOLD', reason: x('hold', 1) }));
    await ok(api('POST', `/v1/items/${thinned}/events`, registrar, { type: 'RELEASE_HOLD', reason: x('release', 2) }));
    await ok(api('POST', `/v1/items/${thinned}/events`, registrar, { type: 'THIN', reason: x('thinning reason', 0) }));
    const unpublished = await newItem(3);
    await ok(api('POST', `/v1/items/${unpublished}/events`, keys.officer!, { type: 'ASSESS', decision: 'unpublish', categories: ['defamation'], registration: 'required' }));
    await ok(api('POST', `/v1/items/${unpublished}/events`, keys.officer!, { type: 'NOTIFY_AUTHOR', text: x('notice', 1) }));
    await ok(api('POST', `/v1/items/${unpublished}/events`, keys.officer!, { type: 'CAPTURE_EVIDENCE' }));
    await api('POST', `/v1/items/${unpublished}/events`, keys.officer!, { type: 'UNPUBLISH', reason: x('unpublish reason', 2), categories: ['defamation'] });

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
    async function visit(path: string) {
      await page.goto(server.baseUrl + path);
      await page.waitForLoadState('load');
      await page.waitForTimeout(50);
      const found = await page.evaluate(() => ({
        xss: (window as { __xss?: number }).__xss,
        injected: document.querySelectorAll('img[onerror], svg[onload], [onload], [onerror]').length,
        scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('__xss')).length,
        body: document.body?.innerText ?? '',
      }));
      expect(found.xss, path).toBeUndefined();
      expect(found.injected, path).toBe(0);
      expect(found.scripts, path).toBe(0);
      return found.body;
    }
    async function visitAll(paths: string[], shown: string[] = []) {
      const texts = [];
      for (const path of paths) texts.push(await visit(path));
      // The payloads are shown, as text: the pages did display the stored fields.
      for (const label of shown) expect(texts.join('\n'), label).toContain(label);
    }

    await signIn(page, keys.officer!);
    const itemPages = [answered, forwarded, thinned, unpublished].flatMap((id) => [`/items/${id}`, `/items/${id}?seq=2#replay`]);
    await visitAll(['/', '/items', `/items?text=${encodeURIComponent(payloads[0]!)}`, `/items?accountId=${accountIds[0]}`, ...itemPages, '/accounts',
      ...accountIds.map((id) => `/accounts/${id}`)],
    ['handle <', 'text <', 'author <', 'purpose <', 'audience <', 'unit <', 'closing reason <']);
    // A refused form shows the values it was sent back in the form: still text.
    await page.goto(`${server.baseUrl}/items/${forwarded}`);
    const csrf = await page.getAttribute('input[name="_csrf"]', 'value');
    const navigated = page.waitForNavigation({ waitUntil: 'load' });
    await page.evaluate(async ([id, token, payload]) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = `/items/${id}/events`;
      for (const [name, value] of [['_csrf', token], ['type', 'ANSWER'], ['text', payload], ['referredTo', payload], ['version', '1']]) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name!;
        input.value = value!;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    }, [forwarded, csrf, payloads[1]] as const);
    await navigated;
    await page.waitForTimeout(50);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.evaluate(() => document.querySelectorAll('[onload], [onerror]').length)).toBe(0);

    await page.context().clearCookies();
    await signIn(page, keys.auditor!);
    await visitAll(['/audit', '/audit/verify', ...itemPages.slice(0, 4)], []);
    // The public channel register (HTML): active channels' handles, purposes, audiences, units, responsible names.
    await visitAll(['/v1/orgs/tibro/channels?format=html'], ['handle <', 'purpose <', 'audience <', 'unit <', 'responsible <']);
    expect(dialogs).toEqual([]);
    await page.close();
    // Some sixty requests and a CLI call: 27 s measured on two cores at a load average of 14.
  }, 90_000);
});
