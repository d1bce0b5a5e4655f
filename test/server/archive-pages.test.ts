// Archive delivery from the audit page: the form starts a job, its page follows the progress by
// reloading itself (no script, no inline style) and offers the tar once it is done.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../db/access/api-keys.ts';
import { createApp, type App } from '../../server/app.ts';
import { archiveOrganisation } from '../helpers/archive-org.ts';
import { t0 } from '../helpers/fixtures.ts';
import { getPage, postForm, signIn, type Session } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const schemaDir = process.env.ARCHIVE_SCHEMAS ?? join(import.meta.dirname, '../../../shared/schemas');
const hasSchemas = existsSync(join(schemaDir, 'noark5-v5.0'));
if (!hasSchemas) console.log(`archive-pages.test.ts did not run: no official schemas at ${schemaDir} (set ARCHIVE_SCHEMAS)`);

describe.runIf(hasSchemas)('the audit page delivers to the archive', () => {
  let t: TempDb;
  let app: App;
  let work: string;
  let auditor: Session;
  let officer: Session;

  beforeAll(async () => {
    t = await tempDb();
    const o = await archiveOrganisation(t.store);
    work = mkdtempSync(join(tmpdir(), 'diarium-archive-pages-'));
    app = createApp({ store: t.store, clock: () => new Date('2026-12-01T08:00:00Z'), rateLimit: null, archive: { schemaDir, exportsDir: work } }, () => {});
    auditor = await signIn(app, (await createApiKey(t.store, o.org.id, 'auditor', t0)).key);
    officer = await signIn(app, (await createApiKey(t.store, o.org.id, 'officer', t0)).key);
  }, 60_000);
  afterAll(() => {
    t?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('starts an export from the form, shows its progress, then offers the download', async () => {
    const audit = await getPage(app, auditor, '/audit');
    expect(audit.html).toContain('action="/audit/archive"');
    expect(audit.html).not.toMatch(/<script|<style|style="/);

    const posted = await postForm(app, auditor, '/audit/archive', { format: 'noark5', from: '2026-11-01', to: '2026-11-30' });
    expect(posted.status).toBe(303);
    const jobPath = posted.headers.get('location')!;
    expect(jobPath).toMatch(/^\/audit\/archive\/[0-9a-f-]{36}$/);

    let page = await getPage(app, auditor, jobPath);
    for (let i = 0; i < 400 && page.html.includes('http-equiv="refresh"'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      page = await getPage(app, auditor, jobPath);
    }
    expect(page.html).toContain('valid against the official schemas');
    expect(page.html).not.toMatch(/<script|<style|style="/);
    const sha = /<code>([0-9a-f]{64})<\/code>/.exec(page.html)?.[1];
    const tar = await getPage(app, auditor, `${jobPath}/package`);
    expect(tar.status).toBe(200);
    expect(tar.headers.get('content-type')).toBe('application/x-tar');
    expect(createHash('sha256').update(tar.bytes).digest('hex')).toBe(sha);
    expect((await getPage(app, auditor, '/audit')).html).toContain(`href="${jobPath}/package"`);
  }, 120_000);

  it('refuses an officer and a period that ends before it begins', async () => {
    expect((await postForm(app, officer, '/audit/archive', { format: 'noark5', from: '2026-11-01', to: '2026-11-30' })).status).toBe(403);
    expect((await postForm(app, auditor, '/audit/archive', { format: 'noark5', from: '2026-11-30', to: '2026-11-01' })).status).toBe(400);
  });
});
