// `diarium export verify`: unpacks a package's tar into a scratch folder and re-checks it in
// full; any fault is reported, none is repaired.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileDigest } from './file-check.ts';
import { verifyEark } from './eark/verify-eark.ts';
import { verifyNoark5 } from './noark5/verify-noark5.ts';
import { removeTree } from './remove-tree.ts';
import { checkSchemaFolder } from './schema-folder.ts';
import { extractTar, TarError } from './tar.ts';

export interface VerifyReport {
  ok: boolean;
  format: 'noark5' | 'eark-sip' | null;
  sha256: string | null;
  bytes: number | null;
  counts: Record<string, number>;
  faults: string[];
}

export async function verifyPackage(tarPath: string, schemaDir: string | undefined): Promise<VerifyReport> {
  const digest = await fileDigest(tarPath);
  const report: VerifyReport = { ok: false, format: null, sha256: digest?.sha256 ?? null, bytes: digest?.size ?? null, counts: {}, faults: [] };
  if (!digest) return { ...report, faults: [`${tarPath} does not exist`] };
  const scratch = await mkdtemp(join(tmpdir(), 'diarium-verify-'));
  try {
    try {
      await extractTar(tarPath, scratch);
    } catch (error) {
      if (error instanceof TarError) return { ...report, faults: [error.message] };
      throw error;
    }
    if (existsSync(join(scratch, 'avleveringspakke'))) {
      report.format = 'noark5';
      const schemas = checkSchemaFolder(schemaDir, 'noark5');
      if (!schemas.ok) return { ...report, faults: [schemas.detail] };
      const result = await verifyNoark5(join(scratch, 'avleveringspakke'), schemas.dir);
      report.faults.push(...result.faults);
      report.counts = result.counts;
    } else if (sipFolder(scratch)) {
      report.format = 'eark-sip';
      const schemas = checkSchemaFolder(schemaDir, 'eark-sip');
      if (!schemas.ok) return { ...report, faults: [schemas.detail] };
      const result = await verifyEark(join(scratch, sipFolder(scratch)!), schemas.dir);
      report.faults.push(...result.faults);
      report.counts = result.counts;
    } else {
      report.faults.push('the tar holds neither a Noark 5 avleveringspakke/ nor an E-ARK SIP');
    }
    report.ok = report.faults.length === 0;
    return report;
  } finally {
    await removeTree(scratch);
  }
}

/** The one folder of an E-ARK SIP's tar, holding its METS.xml. */
function sipFolder(dir: string): string | null {
  const entries = readdirSync(dir);
  return entries.length === 1 && existsSync(join(dir, entries[0]!, 'METS.xml')) ? entries[0]! : null;
}
