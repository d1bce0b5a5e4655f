// Today and the item's timeline in Chromium after the deadline sweep (issue 16): the overdue
// count is the API's, breached deadlines are listed with their badge and said as people say
// them, and the timeline tells each event in words with the reply's text, the ledger link and
// raw payload folded away until opened.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarium, startServer, type RunningServer } from '../helpers/processes.ts';

const dayMs = 24 * 60 * 60 * 1000;
const answerText = 'The library opens at ten on weekdays.';

describe('Today and the timeline in Chromium after a sweep (tibro)', () => {
  let dir: string;
  let url: string;
  let server: RunningServer;
  let browser: Browser;
  const keys: Record<string, string> = {};
  const items: string[] = [];

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
    dir = mkdtempSync(join(tmpdir(), 'diarium-today-'));
    url = `file:${join(dir, 'today.db')}`;
    server = await startServer(url, { SCHEDULES: 'off' });
    keys.admin = String(server.lines.find((line) => line.org === 'tibro')!.key);
    for (const role of ['integrator', 'officer']) {
      keys[role] = JSON.parse((await diarium(['keys', 'add', '--org', 'tibro', '--role', role], url)).stdout).key;
    }
    const account = await api('POST', '/v1/accounts', keys.admin!, {
      platform: 'facebook', handle: 'tibrokommun', url: 'https://facebook.com/tibrokommun', purpose: 'News and questions',
      audience: 'Residents', ownerUnit: 'Communications', responsible: { name: 'R One' }, substitute: { name: 'S Two' },
      admins: [{ name: 'A' }, { name: 'B' }], profile: { contact: true, moderationNotice: true },
    });
    expect((await api('POST', `/v1/accounts/${account.json.id}/events`, keys.admin!, { type: 'APPROVE' })).status).toBe(200);
    // Ten days old: every deadline counted from receipt has passed, whatever the weekdays and holidays.
    const receivedAt = new Date(Date.now() - 10 * dayMs).toISOString();
    for (const name of ['first', 'second', 'third']) {
      const item = await api('POST', '/v1/items', keys.integrator!, {
        accountId: account.json.id, externalId: `fb-${name}`, kind: 'comment', direction: 'inbound',
        author: { handle: 'resident' }, text: `A ${name} question`, receivedAt,
      });
      expect(item.status).toBe(201);
      items.push(item.json.id);
    }
    // The third is handled in full: nothing of it stays overdue.
    expect((await api('POST', `/v1/items/${items[2]}/events`, keys.officer!, {
      type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required',
    })).status).toBe(200);
    expect((await api('POST', `/v1/items/${items[2]}/events`, keys.officer!, { type: 'ANSWER', text: answerText })).status).toBe(200);
    const swept = await diarium(['sweep', '--job', 'deadlines'], url);
    expect(swept.code, swept.stderr).toBe(0);
    expect(JSON.parse(swept.stdout).jobs.deadlines.counts.breached).toBeGreaterThanOrEqual(2);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows on Today the items the API lists as overdue, with their breached deadlines', async () => {
    const overdue = (await api('GET', '/v1/items?overdue=true&limit=200', keys.officer!)).json.items.map((item: { id: string }) => item.id).sort();
    expect(overdue).toEqual([items[0], items[1]].sort());
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, keys.officer!);
    expect(Number(await page.textContent('#overdue [data-count="overdue-items"]'))).toBe(overdue.length);
    const linked = await page.$$eval('#overdue a[href^="/items/"]', (links) => links.map((a) => a.getAttribute('href')!.slice('/items/'.length)));
    expect([...new Set(linked)].sort()).toEqual(overdue);
    expect(await page.locator('#overdue tr[data-status="breached"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('#overdue')).toMatch(/by end of (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+/);
    expect(await page.textContent('#overdue')).not.toContain('Nothing is overdue');
    await page.close();
  });

  it('tells the handled item\'s timeline in words, with the answer, and folds the hash and payload away', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, keys.officer!);
    await page.goto(`${server.baseUrl}/items/${items[2]}`);
    const assess = page.locator('#timeline li[data-type="ASSESS"]');
    expect(await assess.locator('.what').textContent()).toMatch(/^Officer \(key [0-9a-f]{8}…\) assessed: answer, question; registration not required$/);
    expect(await assess.locator('.when').textContent()).toMatch(/\d{4}, \d{2}:\d{2} CES?T · handling: received → assessed/);
    const answer = page.locator('#timeline li[data-type="ANSWER"]');
    expect(await answer.locator('blockquote.said').textContent()).toBe(answerText);
    expect(await page.textContent('#said')).toContain(answerText);
    // The ledger link is there, folded away until asked for.
    const hash = answer.locator('details.raw dd code').first();
    expect(await hash.isVisible()).toBe(false);
    await answer.locator('details.raw summary').click();
    expect(await hash.isVisible()).toBe(true);
    expect(await hash.textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.textContent('#timeline li[data-type="RECEIVED"] pre')).toContain('frozen at receipt');
    await page.close();
  });
});
