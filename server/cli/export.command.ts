// `diarium export` builds an archive package of one organisation's period into a tar, and
// `diarium export verify` re-checks one. Progress goes to a terminal as a bar on stderr, or as
// JSON lines on stdout when piped; the JSON summary is always the last line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { archiveOrganisation } from '../../db/archive/archive-organisation.ts';
import { buildPackage } from '../../db/archive/build-package.ts';
import { checkRange } from '../../db/archive/export-range.ts';
import { verifyPackage } from '../../db/archive/verify-package.ts';
import type { Store } from '../../db/client.ts';
import { findOrganisationBySlug } from '../../db/organisations.ts';
import { print, UsageError } from './output.ts';

export const exportUsage = 'usage: diarium export --org SLUG --format noark5|eark-sip --from ISO --to ISO --out FILE.tar [--account ID]\n'
  + '       diarium export verify FILE.tar';

export interface ExportOptions {
  org?: string | undefined;
  format?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  out?: string | undefined;
  account?: string | undefined;
}

function progressReporter(tty: boolean) {
  let last = '';
  return (p: { phase: string; done: number; total: number }) => {
    if (!tty) {
      print({ progress: p });
      return;
    }
    const width = 30;
    const filled = p.total ? Math.round((p.done / p.total) * width) : 0;
    const line = `${p.phase.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}`;
    if (line !== last) process.stderr.write(`\r${line}`);
    last = line;
  };
}

export async function exportCommand(store: Store, options: ExportOptions, schemaDir: string | undefined, now: Date): Promise<number> {
  if (!options.org || !options.format || !options.out) throw new UsageError(exportUsage);
  if (options.format !== 'noark5' && options.format !== 'eark-sip') throw new UsageError(`--format must be noark5 or eark-sip\n${exportUsage}`);
  const range = checkRange(options.from, options.to);
  if (!range.ok) throw new UsageError(range.detail);
  const org = await findOrganisationBySlug(store.db, options.org);
  if (!org) throw new UsageError(`no organisation "${options.org}"`);
  const work = await mkdtemp(join(tmpdir(), 'diarium-export-'));
  const tty = process.stderr.isTTY === true;
  try {
    const result = await buildPackage({
      db: store.db, org: archiveOrganisation(org), format: options.format, now, schemaDir,
      range: { from: range.from, to: range.to, accountId: options.account },
      workDir: join(work, 'build'), tarPath: resolve(options.out), onProgress: progressReporter(tty),
    });
    if (tty) process.stderr.write('\n');
    if (!result.ok) {
      if (result.code === 'no_schemas') throw new UsageError(result.detail);
      print({ ok: false, code: result.code, detail: result.detail, ...('errors' in result ? { errors: result.errors } : {}) });
      return 1;
    }
    print({ ok: true, out: resolve(options.out), ...result.summary });
    return 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function exportVerifyCommand(path: string | undefined, schemaDir: string | undefined): Promise<number> {
  if (!path) throw new UsageError(exportUsage);
  const report = await verifyPackage(resolve(path), schemaDir);
  print(report);
  return report.ok ? 0 : 1;
}
