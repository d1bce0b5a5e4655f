// Every page in Debian's Chromium (playwright-core) under the Content-Security-Policy the pages
// are served with, against the server started as the README starts it: per role, every link on
// every page reached from Today is followed and none leads to a 403; no page is wider than a
// 390 px phone; no page breaks the CSP. Then the pieces one by one: the statechart as rendered
// (no label on a state box, current state and open steps highlighted), the items list sorted by
// received time both ways, the snapshot upload from the account page, the favicon, and /docs
// (Swagger UI served from the package) showing an operation with its example body.
// Screenshots of Today, an item and the audit page (desktop width) go to test-results/browser/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarium, repoRoot, startServer, type RunningServer } from '../helpers/processes.ts';

const outputDir = join(repoRoot, 'test-results', 'browser');
const dayMs = 24 * 60 * 60 * 1000;
const roles = ['admin', 'integrator', 'officer', 'registrar', 'auditor'] as const;
type Role = (typeof roles)[number];

/** The policy the pages are served under (docs/architecture: "Pages"). */
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
  + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

describe('every page, every role, on a phone and under the CSP (tibro)', () => {
  let dir: string;
  let url: string;
  let server: RunningServer;
  let browser: Browser;
  const keys = {} as Record<Role, string>;
  const ids: Record<string, string> = {};

  async function api(method: string, path: string, key: string, body?: unknown) {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await response.json()) as any;
    expect(response.status, JSON.stringify(json)).toBeLessThan(300);
    return json;
  }

  /** A context whose documents carry the CSP header, recording every violation the page reports. */
  async function context(viewport: { width: number; height: number }): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport, acceptDownloads: true });
    await ctx.route(`${server.baseUrl}/**`, async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch({ maxRedirects: 0 });
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
    });
    await ctx.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    return ctx;
  }

  async function signIn(page: Page, key: string) {
    await page.goto(`${server.baseUrl}/login`);
    await page.fill('input[name="key"]', key);
    await Promise.all([page.waitForURL(`${server.baseUrl}/`), page.click('button[type="submit"]')]);
  }

  const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-pages-browser-'));
    url = `file:${join(dir, 'pages.db')}`;
    server = await startServer(url, { SCHEDULES: 'off' });
    keys.admin = String(server.lines.find((line) => line.org === 'tibro')!.key);
    for (const role of roles.filter((r) => r !== 'admin')) {
      keys[role] = JSON.parse((await diarium(['keys', 'add', '--org', 'tibro', '--role', role], url)).stdout).key;
    }
    const account = await api('POST', '/v1/accounts', keys.admin, {
      platform: 'facebook', handle: 'tibrokommun', url: 'https://facebook.com/tibrokommun', purpose: 'News and questions',
      audience: 'Residents', ownerUnit: 'Communications', responsible: { name: 'R One' }, substitute: { name: 'S Two' },
      admins: [{ name: 'A' }, { name: 'B' }], profile: { contact: true, moderationNotice: true },
    });
    await api('POST', `/v1/accounts/${account.id}/events`, keys.admin, { type: 'APPROVE' });
    ids.account = account.id;
    ids.proposed = (await api('POST', '/v1/accounts', keys.admin, { platform: 'x', handle: 'tibro_x', purpose: 'Later' })).id;
    const texts = [
      'When does the library open on Sundays during the winter holidays, and can I return books at the machine outside?',
      'The snow on Storgatan has not been cleared for three days.',
      'Thanks for the concert in the park!',
    ];
    for (const [i, text] of texts.entries()) {
      const item = await api('POST', '/v1/items', keys.integrator, {
        accountId: account.id, externalId: `fb-${i}`, kind: 'comment', direction: 'inbound', author: { handle: `resident${i}` }, text,
        receivedAt: new Date(Date.now() - (7 - i * 3) * dayMs).toISOString(),
      });
      ids[`item${i}`] = item.id;
    }
    await api('POST', `/v1/items/${ids.item0}/events`, keys.officer, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' });
    await api('POST', `/v1/items/${ids.item0}/events`, keys.officer, { type: 'ANSWER', text: 'Sundays 12–16; the return machine is open all hours.' });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    mkdirSync(outputDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(roles)('%s: follows every link from Today; none is a 403, every page fits 390 px and keeps the CSP', async (role) => {
    const ctx = await context({ width: 390, height: 844 });
    const page = await ctx.newPage();
    await signIn(page, keys[role]);
    const origin = server.baseUrl;
    const queue = ['/'];
    const seen = new Set(queue);
    const visited: string[] = [];
    const pagesPerRole = 18;
    while (queue.length && visited.length < pagesPerRole) {
      const path = queue.shift()!;
      const response = await page.goto(origin + path);
      visited.push(path);
      expect(response!.status(), `${role} ${path}`).toBeLessThan(400);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${role} ${path} at 390 px`).toBeLessThanOrEqual(390);
      expect(await violations(page), `${role} ${path}`).toEqual([]);
      const links = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const link of links) {
        if (!link.startsWith(origin)) continue;
        const target = link.slice(origin.length).replace(/#.*$/, '') || '/';
        if (seen.has(target)) continue;
        seen.add(target);
        // Every link is followed; the HTML pages among them are visited in turn.
        const answer = await ctx.request.get(origin + target, { maxRedirects: 0 });
        expect(answer.status(), `${role}: ${path} links to ${target}`).not.toBe(403);
        expect(answer.status(), `${role}: ${path} links to ${target}`).toBeLessThan(400);
        if ((answer.headers()['content-type'] ?? '').startsWith('text/html')) queue.push(target);
      }
    }
    expect(visited.length).toBeGreaterThan(4);
    // The Audit link is shown exactly to the roles the audit pages admit.
    await page.goto(`${origin}/`);
    expect(await page.locator('header a[href="/audit"]').count()).toBe(role === 'auditor' || role === 'admin' ? 1 : 0);
    // The favicon is linked and served.
    expect(await page.getAttribute('link[rel="icon"]', 'href')).toBe('/favicon.svg');
    const icon = await ctx.request.get(`${origin}/favicon.svg`);
    expect(icon.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    await ctx.close();
  });

  it('fits every page on a 390 px phone for the officer, the item page with its forms included', async () => {
    const ctx = await context({ width: 390, height: 844 });
    const page = await ctx.newPage();
    await signIn(page, keys.officer);
    for (const path of ['/', '/items', '/items?sort=received-asc', `/items/${ids.item1}`, `/items/${ids.item0}?seq=1#replay`, '/accounts',
      `/accounts/${ids.account}`, `/accounts/${ids.proposed}`, '/docs', '/login']) {
      await page.goto(server.baseUrl + path);
      if (path === '/docs') await page.waitForSelector('.opblock');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      expect(await violations(page), path).toEqual([]);
    }
    // The ASSESS form, once wider than the screen, now fits.
    await page.goto(`${server.baseUrl}/items/${ids.item1}`);
    const form = await page.locator('form[data-event="ASSESS"]').boundingBox();
    expect(form!.x + form!.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(outputDir, 'item-page-390.png'), fullPage: true });
    await ctx.close();
  });

  it('draws the statechart with no label on a state box, the current state and the open steps highlighted, scrolling inside its box', async () => {
    const ctx = await context({ width: 390, height: 844 });
    const page = await ctx.newPage();
    await signIn(page, keys.officer);
    await page.goto(`${server.baseUrl}/items/${ids.item1}`);
    const found = await page.evaluate(() => {
      const box = (el: Element) => el.getBoundingClientRect();
      const states = [...document.querySelectorAll('#statechart rect.state')].map(box);
      const labels = [...document.querySelectorAll('#statechart g.label')].map(box).filter((b) => b.width > 0);
      const hit = (a: DOMRect, b: DOMRect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
      let labelOnState = 0;
      let labelOnLabel = 0;
      for (const [i, l] of labels.entries()) {
        labelOnState += states.filter((s) => hit(l, s)).length;
        labelOnLabel += labels.slice(i + 1).filter((o) => hit(l, o)).length;
      }
      const textOutside = [...document.querySelectorAll('#statechart g[data-state]')].filter((g) => {
        const rect = box(g.querySelector('rect')!);
        return [...g.querySelectorAll('text')].some((t) => box(t).right > rect.right + 0.5);
      }).map((g) => g.getAttribute('data-state'));
      const scroller = document.querySelector('#statechart .chart-scroll') as HTMLElement;
      return {
        states: states.length, labels: labels.length, labelOnState, labelOnLabel, textOutside,
        current: [...document.querySelectorAll('#statechart [data-current="true"]')].map((g) => g.getAttribute('data-state')),
        next: [...document.querySelectorAll('#statechart g.arc.next')].map((g) => g.getAttribute('data-to')),
        steps: [...document.querySelectorAll('#statechart [data-step]')].map((li) => li.getAttribute('data-step')),
        scrolls: scroller.scrollWidth > scroller.clientWidth, boxWidth: scroller.getBoundingClientRect().right,
      };
    });
    expect(found.states).toBeGreaterThan(5);
    expect(found.labels).toBeGreaterThan(3);
    expect(found.labelOnState).toBe(0);
    expect(found.labelOnLabel).toBe(0);
    expect(found.textOutside).toEqual([]);
    expect(found.current).toContain('handling.received');
    expect(found.next.length).toBeGreaterThan(0);
    expect(found.steps).toContain('ASSESS');
    expect(found.scrolls).toBe(true);
    expect(found.boxWidth).toBeLessThanOrEqual(390);
    await ctx.close();
  });

  it('sorts the items list by received time both ways, with snippets, accounts, states in words and badges', async () => {
    const ctx = await context({ width: 1280, height: 900 });
    const page = await ctx.newPage();
    await signIn(page, keys.officer);
    await page.goto(`${server.baseUrl}/items`);
    const received = () => page.$$eval('tr[data-item] time', (ts) => ts.map((t) => t.getAttribute('datetime')!));
    await Promise.all([page.waitForLoadState('load'), page.click('#sort-received')]);
    const down = await received();
    expect(down).toEqual([...down].sort().reverse());
    await Promise.all([page.waitForLoadState('load'), page.click('#sort-received')]);
    const up = await received();
    expect(up).toEqual([...down].reverse());
    const row = page.locator(`tr[data-item="${ids.item1}"]`);
    expect(await row.textContent()).toContain('The snow on Storgatan');
    expect(await row.textContent()).toContain('facebook: tibrokommun');
    expect(await row.textContent()).toContain('Waiting for assessment');
    expect(await row.locator('[data-due="overdue"]').textContent()).toBe('overdue: assessment');
    expect(await page.locator(`tr[data-item="${ids.item0}"]`).textContent()).toContain('Answered');
    await ctx.close();
  });

  it('uploads a snapshot file from the account page', async () => {
    const ctx = await context({ width: 390, height: 844 });
    const page = await ctx.newPage();
    await signIn(page, keys.officer);
    await page.goto(`${server.baseUrl}/accounts/${ids.account}`);
    const pdfA = Buffer.from('%PDF-1.4\n<x:xmpmeta><pdfaid:part>1</pdfaid:part></x:xmpmeta>\n% browser upload\n%%EOF\n', 'latin1');
    await page.setInputFiles('#snapshot input[type="file"]', { name: 'channel.pdf', mimeType: 'application/pdf', buffer: pdfA });
    await Promise.all([page.waitForURL(`${server.baseUrl}/accounts/${ids.account}`), page.click('#snapshot button[type="submit"]')]);
    expect(await page.textContent('table.timeline')).toContain('SNAPSHOT');
    const files = await api('GET', `/v1/accounts/${ids.account}/snapshots`, keys.officer);
    expect(files.snapshots.map((f: { format: string }) => f.format)).toEqual(['pdf/a-1']);
    expect(await violations(page)).toEqual([]);
    await ctx.close();
  });

  it('renders /docs with Swagger UI from the package: an operation with its request body, under the CSP, offline', async () => {
    const ctx = await context({ width: 1280, height: 900 });
    const page = await ctx.newPage();
    const outside: string[] = [];
    page.on('request', (request) => { if (!request.url().startsWith(server.baseUrl) && !request.url().startsWith('data:')) outside.push(request.url()); });
    await page.goto(`${server.baseUrl}/docs`);
    await page.waitForSelector('.opblock');
    const ingest = page.locator('.opblock-post', { hasText: '/v1/items' }).first();
    expect(await ingest.textContent()).toContain('/v1/items');
    await ingest.locator('.opblock-summary').click();
    await page.waitForSelector('.opblock-body .body-param__example, .opblock-body .microlight, .opblock-body pre');
    const body = await ingest.locator('.opblock-body').textContent();
    expect(body).toContain('accountId');
    expect(body).toContain('externalId');
    expect(body).toMatch(/201/);
    expect(await violations(page)).toEqual([]);
    expect(outside).toEqual([]);
    await ctx.close();
  });

  it('takes desktop screenshots of Today, an item and the audit page', async () => {
    const ctx = await context({ width: 1280, height: 900 });
    const page = await ctx.newPage();
    await signIn(page, keys.admin);
    for (const [name, path] of [['today', '/'], ['item', `/items/${ids.item1}`], ['audit', '/audit']] as const) {
      await page.goto(server.baseUrl + path);
      await page.screenshot({ path: join(outputDir, `${name}-page.png`), fullPage: name !== 'item' });
      expect(await violations(page), path).toEqual([]);
    }
    // The CSP is in force: an inline style added now is refused and reported.
    await page.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'body{color:red}' })));
    await expect.poll(() => violations(page)).toEqual([expect.stringMatching(/^style-src/)]);
    await ctx.close();
  });
});
