// The pages under their Content-Security-Policy in a real Chromium (issue 19): every page of the
// officer and auditor, the sign-in page, the docs and the public register load with no CSP violation,
// no console error and no page error, and their served stylesheet applies. The server is started as
// the README starts it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarium, startServer, type RunningServer } from '../helpers/processes.ts';
import { expectedCsp } from '../helpers/security-headers.ts';

describe('the pages under their Content-Security-Policy in Chromium', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  const keys: Record<string, string> = {};
  let accountId = '';
  let itemId = '';

  async function api(method: string, path: string, key: string, body?: unknown) {
    const response = await fetch(server.baseUrl + path, {
      method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as any };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-csp-'));
    const url = `file:${join(dir, 'csp.db')}`;
    server = await startServer(url, { SCHEDULES: 'off' });
    keys.admin = String(server.lines.find((line) => line.org === 'tibro')!.key);
    keys.integrator = String(JSON.parse((await diarium(['keys', 'add', '--org', 'tibro', '--role', 'integrator'], url)).stdout).key);
    const account = await api('POST', '/v1/accounts', keys.admin, {
      platform: 'facebook', handle: 'tibro-csp', url: 'https://facebook.com/tibro-csp', purpose: 'News', audience: 'Residents',
      ownerUnit: 'Communications', responsible: { name: 'R One' }, substitute: { name: 'S Two' }, admins: [{ name: 'A' }, { name: 'B' }],
      profile: { contact: true, moderationNotice: true },
    });
    accountId = account.json.id;
    expect((await api('POST', `/v1/accounts/${accountId}/events`, keys.admin, { type: 'APPROVE' })).status).toBe(200);
    const item = await api('POST', '/v1/items', keys.integrator, {
      accountId, externalId: 'csp-1', kind: 'comment', direction: 'inbound', author: { handle: 'resident' },
      text: 'A question <script>window.__xss = 1</script> <style>body{display:none}</style>',
    });
    expect(item.status).toBe(201);
    itemId = item.json.id;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `path` and returns every CSP violation, console error and page error it caused. */
  async function visit(page: Page, path: string) {
    const problems: string[] = [];
    const onConsole = (message: { type(): string; text(): string }) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    };
    const onError = (error: Error) => problems.push(`page error: ${error.message}`);
    const onResponse = (response: { status(): number; url(): string }) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    };
    page.on('console', onConsole);
    page.on('pageerror', onError);
    page.on('response', onResponse);
    const response = await page.goto(server.baseUrl + path);
    expect(response?.headers()['content-security-policy'], path).toBe(expectedCsp);
    await page.waitForLoadState('load');
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    const styled = await page.evaluate(() => [...document.styleSheets].some((sheet) => sheet.href?.endsWith('/assets/app.css') && sheet.cssRules.length > 0));
    page.off('console', onConsole);
    page.off('pageerror', onError);
    page.off('response', onResponse);
    return { problems: [...problems, ...violations.map((v) => `CSP violation: ${v}`)], styled, status: response?.status() };
  }

  it('loads every page with no CSP violation or console error, styled by the served stylesheet', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const list: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = list;
      document.addEventListener('securitypolicyviolation', (event) => list.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const page = await context.newPage();

    for (const path of ['/login', '/docs', '/v1/orgs/tibro/channels?format=html']) {
      const result = await visit(page, path);
      expect(result.problems, path).toEqual([]);
      expect(result.styled, path).toBe(true);
    }

    // Signing in through the form: its login-CSRF token travels with the pre-session cookie.
    await page.goto(`${server.baseUrl}/login`);
    await page.fill('input[name="key"]', keys.admin!);
    await Promise.all([page.waitForURL(`${server.baseUrl}/`), page.click('button[type="submit"]')]);

    const pages = ['/', '/items', `/items/${itemId}`, '/accounts', `/accounts/${accountId}`, '/audit', '/audit/verify'];
    for (const path of pages) {
      const result = await visit(page, path);
      expect(result.status, path).toBe(200);
      expect(result.problems, path).toEqual([]);
      expect(result.styled, path).toBe(true);
    }
    // The item's text is shown as text: neither its script nor its style ran.
    await page.goto(`${server.baseUrl}/items/${itemId}`);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.isVisible('body')).toBe(true);
    await context.close();
  }, 120_000);

  it('refuses to be framed by another page', async () => {
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => blocked.push(message.text()));
    await page.setContent(`<iframe src="${server.baseUrl}/login"></iframe>`);
    await page.waitForTimeout(500);
    const frame = page.frames().find((f) => f.url().startsWith(server.baseUrl));
    const framedForm = frame ? await frame.$('input[name="key"]').catch(() => null) : null;
    expect(framedForm).toBeNull();
    expect(blocked.join('\n')).toMatch(/frame-ancestors|X-Frame-Options|refused to (display|frame)/i);
    await page.close();
  }, 60_000);
});
