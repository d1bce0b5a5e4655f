// An E-ARK SIP with CITS ERMS v3 of a realistic organisation: METS with the CSIP/SIP attributes,
// every file with SIZE, CREATED, CHECKSUM and CHECKSUMTYPE, valid against the official schemas
// (xmllint-wasm in the build, the xmllint command here), thinned items only as disposals.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, type PackageResult } from '../../../db/archive/build-package.ts';
import { extractTar } from '../../../db/archive/tar.ts';
import { checkSchematron } from '../../../db/archive/validate-schematron.ts';
import { verifyPackage } from '../../../db/archive/verify-package.ts';
import { archiveOrganisation, thinnedSecrets, type ArchiveOrg } from '../../helpers/archive-org.ts';
import { tempDb, type TempDb } from '../../helpers/temp-db.ts';

const schemaDir = process.env.ARCHIVE_SCHEMAS ?? join(import.meta.dirname, '../../../../shared/schemas');
const hasSchemas = existsSync(join(schemaDir, 'e-ark')) && existsSync(join(schemaDir, 'cits-erms'));
if (!hasSchemas) console.log(`eark.test.ts did not run: no official schemas at ${schemaDir} (set ARCHIVE_SCHEMAS)`);

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

describe.runIf(hasSchemas)('an E-ARK SIP with CITS ERMS', () => {
  let t: TempDb;
  let o: ArchiveOrg;
  let work: string;
  let result: PackageResult;
  let root: string;

  beforeAll(async () => {
    t = await tempDb();
    o = await archiveOrganisation(t.store, 'tibro');
    work = mkdtempSync(join(tmpdir(), 'diarium-eark-'));
    result = await buildPackage({
      db: t.store.db, org: { id: o.org.id, slug: o.org.slug, name: o.org.name, timeZone: 'Europe/Stockholm' }, format: 'eark-sip',
      range: { from: o.from, to: o.to }, now: new Date('2026-12-01T08:00:00Z'), schemaDir, workDir: join(work, 'build'), tarPath: join(work, 'sip.tar'),
    });
    if (result.ok) {
      await extractTar(join(work, 'sip.tar'), join(work, 'out'));
      root = join(work, 'out', readdirSync(join(work, 'out'))[0]!);
    }
  }, 60_000);
  afterAll(() => {
    t?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is made, validated and counted, in a folder named by its UUID', () => {
    if (!result.ok) throw new Error(JSON.stringify(result, null, 2));
    expect(result.summary.counts).toEqual({ items: 7, registered: 5, thinned: 2, documentFiles: 6 });
    expect(root).toMatch(/uuid-[0-9a-f-]{36}$/);
  });

  it('has the CSIP layout and METS attributes, and every file listed with size, date and SHA-256', () => {
    const mets = readFileSync(join(root, 'METS.xml'), 'utf8');
    expect(mets).toContain('csip:CONTENTINFORMATIONTYPE="citserms_v3_0"');
    expect(mets).toContain('csip:OAISPACKAGETYPE="SIP"');
    expect(mets).toContain('<structMap');
    const all = filesUnder(root);
    expect(all).toEqual(expect.arrayContaining(['METS.xml', 'representations/rep1/METS.xml', 'representations/rep1/data/erms.xml', 'schemas/ERMS_v3.xsd', 'documentation/README.txt']));
    const repMets = readFileSync(join(root, 'representations/rep1/METS.xml'), 'utf8');
    for (const file of all.filter((f) => f !== 'METS.xml')) {
      const listedIn = file.startsWith('representations/rep1/') && file !== 'representations/rep1/METS.xml'
        ? [repMets, file.slice('representations/rep1/'.length)] : [mets, file];
      expect(listedIn[0]).toMatch(new RegExp(`SIZE="\\d+" CREATED="[^"]+" CHECKSUM="[0-9A-F]{64}" CHECKSUMTYPE="SHA-256"><FLocat[^>]*xlink:href="${listedIn[1]}"`));
    }
  });

  it('passes the xmllint command against the official schemas', () => {
    const eark = join(schemaDir, 'e-ark/mets-offline.xsd');
    execFileSync('xmllint', ['--nonet', '--noout', '--schema', eark, join(root, 'METS.xml'), join(root, 'representations/rep1/METS.xml')], { stdio: 'pipe' });
    execFileSync('xmllint', ['--nonet', '--noout', '--schema', join(schemaDir, 'cits-erms/ERMS_v3.xsd'), join(root, 'representations/rep1/data/erms.xml')], { stdio: 'pipe' });
  });

  it('holds thinned items only as disposals, with none of their personal data', () => {
    const text = filesUnder(root).filter((f) => !f.endsWith('.xsd')).map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
    for (const secret of thinnedSecrets) expect(text).not.toContain(secret);
    const erms = readFileSync(join(root, 'representations/rep1/data/erms.xml'), 'utf8');
    expect(erms.match(/<disposalAction>destroy<\/disposalAction>/g)).toHaveLength(2);
    expect(erms.match(/<record /g)).toHaveLength(7);
    expect(erms).toContain('aggregationType="caseFile"');
    expect(erms).toContain('<direction directionDefinition="outgoing"/>');
  });

  it('passes verify, and fails it when one byte changes', async () => {
    const report = await verifyPackage(join(work, 'sip.tar'), schemaDir);
    expect(report.faults).toEqual([]);
    expect(report).toMatchObject({ ok: true, format: 'eark-sip' });
    const bytes = readFileSync(join(work, 'sip.tar'));
    const at = bytes.indexOf(Buffer.from('Ola Nordmann'));
    bytes[at] = 'P'.charCodeAt(0);
    writeFileSync(join(work, 'changed.tar'), bytes);
    const changed = await verifyPackage(join(work, 'changed.tar'), schemaDir);
    expect(changed.ok).toBe(false);
    expect(changed.faults.join('\n')).toMatch(/SHA-256/);
  });

  it('passes the CITS ERMS Schematron rules, which catch what the XSD allows', async () => {
    const erms = join(root, 'representations/rep1/data/erms.xml');
    expect(await checkSchematron(erms, 'erms.xml', schemaDir)).toEqual([]);
    // "other" is a valid direction for the XSD; the rules then ask for otherDirectionDefinition.
    writeFileSync(join(work, 'erms-other.xml'), readFileSync(erms, 'utf8').replace('directionDefinition="outgoing"', 'directionDefinition="other"'));
    const issues = await checkSchematron(join(work, 'erms-other.xml'), 'erms.xml', schemaDir);
    expect(issues?.map((i) => i.message).join('\n')).toContain('otherDirectionDefinition');
  });
});
