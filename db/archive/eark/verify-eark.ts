// Re-checks an unpacked E-ARK SIP: its METS documents and erms.xml against the official schemas,
// the CSIP attributes, every file's SIZE and CHECKSUM in the METS that lists it, references both
// ways (METS files and the package's files, ERMS appendices and the data files) and the counts
// the documentation states.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileDigest, listFiles } from '../file-check.ts';
import { checkSchematron } from '../validate-schematron.ts';
import { validateDocument } from '../validate-xml.ts';
import { scanXml } from '../xml-scan.ts';

const rep = 'representations/rep1';
const metsImports = ['e-ark/mets.xsd', 'e-ark/xlink.xsd', 'e-ark/xml.xsd', 'e-ark/DILCISExtensionMETS.xsd', 'e-ark/DILCISExtensionSIPMETS.xsd'];

function attribute(attributes: string, name: string): string | null {
  const match = new RegExp(`(?:^|\\s)${name.replace(':', '\\:')}="([^"]*)"`).exec(attributes);
  return match ? match[1]! : null;
}

interface ListedFile { size: number; sha256: string; href: string | null }

/** The files a METS document lists, with their sizes and checksums. */
async function metsFiles(path: string): Promise<{ files: ListedFile[]; root: string }> {
  const files: ListedFile[] = [];
  let current: ListedFile | null = null;
  let root = '';
  await scanXml(path, (token) => {
    if (token.kind !== 'start') return;
    if (token.name === 'mets') root = token.attributes;
    if (token.name === 'file') {
      if (attribute(token.attributes, 'CHECKSUMTYPE') !== 'SHA-256') current = { size: -1, sha256: '', href: null };
      else current = { size: Number(attribute(token.attributes, 'SIZE')), sha256: (attribute(token.attributes, 'CHECKSUM') ?? '').toLowerCase(), href: null };
      files.push(current);
    }
    if (token.name === 'FLocat' && current) {
      current.href = attribute(token.attributes, 'xlink:href');
      current = null;
    }
  });
  return { files, root };
}

export async function verifyEark(root: string, schemaDir: string): Promise<{ faults: string[]; counts: Record<string, number> }> {
  const faults: string[] = [];
  const present = new Set(await listFiles(root));
  for (const required of ['METS.xml', `${rep}/METS.xml`, `${rep}/data/erms.xml`]) {
    if (!present.has(required)) faults.push(`${required} is missing`);
  }
  if (faults.length) return { faults, counts: {} };

  for (const [doc, schema, imports] of [
    ['METS.xml', 'e-ark/mets-offline.xsd', metsImports], [`${rep}/METS.xml`, 'e-ark/mets-offline.xsd', metsImports],
    [`${rep}/data/erms.xml`, 'cits-erms/ERMS_v3.xsd', []],
  ] as const) {
    for (const issue of await validateDocument(join(root, doc), doc, schemaDir, schema, imports)) faults.push(`${issue.file}: ${issue.message}`);
  }
  const erms = `${rep}/data/erms.xml`;
  for (const issue of (await checkSchematron(join(root, erms), erms, schemaDir)) ?? []) faults.push(`${issue.file}: ${issue.message}`);

  const listed = new Set<string>(['METS.xml']);
  const check = async (mets: string, base: string) => {
    const { files, root: attributes } = await metsFiles(join(root, mets));
    if (attribute(attributes, 'csip:CONTENTINFORMATIONTYPE') !== 'citserms_v3_0') faults.push(`${mets} lacks csip:CONTENTINFORMATIONTYPE="citserms_v3_0"`);
    for (const file of files) {
      if (!file.href) { faults.push(`${mets} lists a file without an xlink:href`); continue; }
      const path = base ? `${base}/${file.href}` : file.href;
      if (file.size < 0) faults.push(`${mets}: ${path} has no SHA-256 checksum`);
      listed.add(path);
      const digest = await fileDigest(join(root, path));
      if (!digest) faults.push(`${mets} lists ${path}, which is not in the package`);
      else {
        if (digest.sha256 !== file.sha256) faults.push(`${path}: SHA-256 ${digest.sha256} differs from ${mets}'s ${file.sha256}`);
        if (digest.size !== file.size) faults.push(`${path}: ${digest.size} bytes, ${mets} says ${file.size}`);
      }
    }
    return files.length;
  };
  await check('METS.xml', '');
  await check(`${rep}/METS.xml`, rep);
  const objectId = attribute((await metsFiles(join(root, 'METS.xml'))).root, 'OBJID');
  if (objectId !== basename(root)) faults.push(`the package folder ${basename(root)} is not named by METS.xml's OBJID ${objectId}`);
  for (const file of present) if (!listed.has(file)) faults.push(`${file} is in the package but no METS lists it`);

  const appendices = new Map<string, number>();
  const counts = { records: 0, disposals: 0, appendices: 0 };
  await scanXml(join(root, rep, 'data/erms.xml'), (token) => {
    if (token.kind === 'start' && token.name === 'record') counts.records++;
    if (token.kind === 'start' && token.name === 'appendix') {
      const path = attribute(token.attributes, 'path') ?? '';
      counts.appendices++;
      appendices.set(path, (appendices.get(path) ?? 0) + 1);
      if (!present.has(path)) faults.push(`erms.xml has an appendix ${path}, which is not in the package`);
    }
    if (token.kind === 'leaf' && token.name === 'disposalAction') counts.disposals++;
  });
  for (const file of present) {
    if (file.startsWith(`${rep}/data/`) && file !== `${rep}/data/erms.xml` && appendices.get(file) !== 1) {
      faults.push(`${file} is referenced by ${appendices.get(file) ?? 0} appendices in erms.xml, not one`);
    }
  }
  if (present.has('documentation/README.txt')) {
    const text = await readFile(join(root, 'documentation/README.txt'), 'utf8');
    const stated = /Inslag: (\d+), registrerade: (\d+), gallrade: (\d+), filer: (\d+)/.exec(text);
    if (!stated) faults.push('documentation/README.txt does not state the counts');
    else {
      const [items, registered, thinned, files] = stated.slice(1).map(Number);
      if (items !== counts.records) faults.push(`erms.xml holds ${counts.records} records, the documentation says ${items}`);
      if (thinned !== counts.disposals) faults.push(`erms.xml holds ${counts.disposals} disposals, the documentation says ${thinned}`);
      if (registered !== counts.records - counts.disposals) faults.push(`erms.xml holds ${counts.records - counts.disposals} registered records, the documentation says ${registered}`);
      if (files !== counts.appendices) faults.push(`erms.xml holds ${counts.appendices} appendices, the documentation says ${files}`);
    }
  }
  return { faults, counts };
}
