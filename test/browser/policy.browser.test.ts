// The policy page in a real headless Chromium against the server started as the README starts it:
// an admin writes an own rule (whose text carries a script payload that must not run), sees the dry
// run before anything is saved, saves, and finds the new version in the list and over the API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presets } from '../../machines/policy/presets.ts';
import { startServer, type RunningServer } from '../helpers/processes.ts';

describe('the policy page in Chromium (tibro)', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let adminKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-policy-browser-'));
    server = await startServer(`file:${join(dir, 'policy.db')}`, { SCHEDULES: 'off' });
    adminKey = String(server.lines.find((line) => line.org === 'tibro')!.key);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the dry run before saving, saves a version 2 with an own rule, and runs no stored script', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.baseUrl}/login`);
    await page.fill('input[name="key"]', adminKey);
    await Promise.all([page.waitForURL(`${server.baseUrl}/`), page.click('button[type="submit"]')]);
    await page.goto(`${server.baseUrl}/policy`);
    expect(await page.textContent('#windows')).toContain('Answer within 48 hours counted on weekdays only.');

    const changed = {
      ...presets.tibro,
      rules: [{ id: 'TK-1', text: 'Svar inom en arbetsdag <script>window.__xss = 1</script>', source: 'KS beslut 2026-12-01 §4' }],
      windows: { ...presets.tibro.windows, answer: { hours: 24, on: 'weekdays' } },
      registration: { ...presets.tibro.registration, decisionRule: 'TK-1' },
    };
    await page.fill('#policy-text', JSON.stringify(changed, null, 2));
    await Promise.all([page.waitForLoadState('load'), page.click('#change form:last-of-type button[type="submit"]')]);
    expect(await page.textContent('#dry-run')).toContain('Dry run: as version 2');
    const before = await fetch(`${server.baseUrl}/v1/policy`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(before.headers.get('etag')).toBe('"1"');

    await Promise.all([page.waitForURL(`${server.baseUrl}/policy`), page.click('#dry-run button[type="submit"]')]);
    expect(await page.textContent('#versions')).toContain('admin');
    expect(await page.locator('#versions tbody tr').count()).toBe(2);
    expect(await page.textContent('#rules')).toContain('<script>window.__xss = 1</script>');
    expect(await page.textContent('#registration')).toContain('TK-1: Svar inom en arbetsdag');
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    const after = await fetch(`${server.baseUrl}/v1/policy`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(after.headers.get('etag')).toBe('"2"');
    expect(((await after.json()) as { policy: { windows: { answer: unknown } } }).policy.windows.answer).toEqual({ hours: 24, on: 'weekdays' });
  }, 240_000);
});
