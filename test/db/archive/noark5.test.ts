// A Noark 5 arkivuttrekk of a realistic organisation: valid against Arkivverket's schemas (with
// xmllint-wasm inside the build and the xmllint command as an independent check), every file
// checksummed, thinned items only as disposals without personal data.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, type PackageResult } from '../../../db/archive/build-package.ts';
import { extractTar } from '../../../db/archive/tar.ts';
import { verifyPackage } from '../../../db/archive/verify-package.ts';
import { archiveOrganisation, thinnedSecrets, type ArchiveOrg } from '../../helpers/archive-org.ts';
import { tempDb, type TempDb } from '../../helpers/temp-db.ts';

const schemaDir = process.env.ARCHIVE_SCHEMAS ?? join(import.meta.dirname, '../../../../shared/schemas');
const hasSchemas = existsSync(join(schemaDir, 'noark5-v5.0'));
if (!hasSchemas) console.log(`noark5.test.ts did not run: no official schemas at ${schemaDir} (set ARCHIVE_SCHEMAS)`);

describe.runIf(hasSchemas)('a Noark 5 arkivuttrekk', () => {
  let t: TempDb;
  let o: ArchiveOrg;
  let work: string;
  let result: PackageResult;
  let files: string;

  beforeAll(async () => {
    t = await tempDb();
    o = await archiveOrganisation(t.store);
    work = mkdtempSync(join(tmpdir(), 'diarium-noark5-'));
    result = await buildPackage({
      db: t.store.db, org: { id: o.org.id, slug: o.org.slug, name: o.org.name, timeZone: 'Europe/Oslo' }, format: 'noark5',
      range: { from: o.from, to: o.to }, now: new Date('2026-12-01T08:00:00Z'), schemaDir, workDir: join(work, 'build'), tarPath: join(work, 'package.tar'),
    });
    files = join(work, 'out');
    if (result.ok) await extractTar(join(work, 'package.tar'), files);
  }, 60_000);
  afterAll(() => {
    t?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is made, validated and counted', () => {
    if (!result.ok) throw new Error(JSON.stringify(result, null, 2));
    expect(result.summary.counts).toEqual({ items: 7, registered: 5, thinned: 2, documentFiles: 6 });
    expect(result.summary.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('passes the xmllint command against the official schemas, each document on its own', () => {
    const root = join(files, 'avleveringspakke');
    const n5 = join(schemaDir, 'noark5-v5.0');
    for (const [doc, schema] of [
      ['arkivstruktur.xml', join(n5, 'arkivstruktur.xsd')], ['endringslogg.xml', join(n5, 'endringslogg.xsd')],
      ['loependeJournal.xml', join(n5, 'loependeJournal.xsd')], ['offentligJournal.xml', join(n5, 'offentligJournal.xsd')],
      ['arkivuttrekk.xml', join(schemaDir, 'addml-8.3/addml.xsd')],
    ]) {
      execFileSync('xmllint', ['--nonet', '--noout', '--schema', schema!, join(root, doc!)], { stdio: 'pipe' });
    }
  });

  it('holds no personal data of a thinned item anywhere, and no item still being handled', () => {
    const root = join(files, 'avleveringspakke');
    const all = [...readdirSync(root), ...readdirSync(join(root, 'dokumenter')).map((f) => `dokumenter/${f}`)]
      .filter((f) => !f.endsWith('dokumenter')).map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
    for (const secret of thinnedSecrets) expect(all).not.toContain(secret);
    for (const id of o.open) expect(all).not.toContain(id);
    for (const id of o.thinned) expect(readdirSync(join(root, 'dokumenter')).some((f) => f.startsWith(id))).toBe(false);
    expect(all).toContain('Ola Nordmann');
  });

  it('records thinned items as disposals and masks restricted names in the public journal', () => {
    const root = join(files, 'avleveringspakke');
    const structure = readFileSync(join(root, 'arkivstruktur.xml'), 'utf8');
    expect(structure.match(/<utfoertKassasjon>/g)).toHaveLength(2);
    expect(structure.match(/xsi:type="journalpost"/g)).toHaveLength(5);
    expect(structure).toContain('<journalposttype>Utgående dokument</journalposttype>');
    expect(structure).toContain('<mappeID>2026/14</mappeID>');
    const publicJournal = readFileSync(join(root, 'offentligJournal.xml'), 'utf8');
    expect(publicJournal).not.toContain('Anne Søker');
    expect(publicJournal).toContain('*****');
    expect(readFileSync(join(root, 'loependeJournal.xml'), 'utf8')).toContain('Anne Søker');
  });

  it('passes verify: schemas, every checksum and size, references both ways, the stated counts', async () => {
    const report = await verifyPackage(join(work, 'package.tar'), schemaDir);
    expect(report.faults).toEqual([]);
    expect(report).toMatchObject({ ok: true, format: 'noark5', counts: { mappe: 6, registrering: 7, dokumentobjekt: 6, journalregistrering: 5 } });
    expect(report.sha256).toBe(result.ok && result.summary.sha256);
  });

  it('fails verify when one byte of a document file changes', async () => {
    const bytes = readFileSync(join(work, 'package.tar'));
    const at = bytes.indexOf(Buffer.from('Forfatter: Ola Nordmann'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 11] = 'P'.charCodeAt(0);
    writeFileSync(join(work, 'changed.tar'), bytes);
    const report = await verifyPackage(join(work, 'changed.tar'), schemaDir);
    expect(report.ok).toBe(false);
    expect(report.faults.join('\n')).toMatch(/dokumenter\/.*\.txt: SHA-256 .* differs from its dokumentobjekt/);
  });

  it('fails verify when one byte of arkivstruktur.xml changes, naming its checksum', async () => {
    const bytes = readFileSync(join(work, 'package.tar'));
    const at = bytes.indexOf(Buffer.from('<journalstatus>Arkivert'));
    bytes[at + 1] = 'J'.charCodeAt(0); // <Journalstatus>: no longer the schema's element
    writeFileSync(join(work, 'changed2.tar'), bytes);
    const report = await verifyPackage(join(work, 'changed2.tar'), schemaDir);
    expect(report.ok).toBe(false);
    expect(report.faults.join('\n')).toContain('arkivstruktur.xml: SHA-256');
  });

  it('fails verify when the tar is cut short', async () => {
    const bytes = readFileSync(join(work, 'package.tar'));
    writeFileSync(join(work, 'short.tar'), bytes.subarray(0, bytes.length - 2048));
    copyFileSync(join(work, 'short.tar'), join(work, 'short2.tar'));
    const report = await verifyPackage(join(work, 'short2.tar'), schemaDir);
    expect(report.ok).toBe(false);
  });
});
