// Re-checks an unpacked Noark 5 arkivuttrekk: every XML document against the official schemas,
// the package's schema copies against the official files, every checksum and size that
// arkivuttrekk.xml and the dokumentobjekter give, references both ways (document files and
// dokumentobjekter, journal lines and journalposter, endringslogg and the units it names), and
// the counts that arkivuttrekk.xml states.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileDigest, listFiles } from '../file-check.ts';
import { validateDocument } from '../validate-xml.ts';
import { scanXml } from '../xml-scan.ts';

const n5 = 'noark5-v5.0';
const schemaOf: Record<string, string> = {
  'arkivstruktur.xml': `${n5}/arkivstruktur.xsd`, 'endringslogg.xml': `${n5}/endringslogg.xsd`,
  'loependeJournal.xml': `${n5}/loependeJournal.xsd`, 'offentligJournal.xml': `${n5}/offentligJournal.xsd`,
};
const officialCopy: Record<string, string> = {
  'arkivstruktur.xsd': `${n5}/arkivstruktur.xsd`, 'metadatakatalog.xsd': `${n5}/metadatakatalog.xsd`,
  'endringslogg.xsd': `${n5}/endringslogg.xsd`, 'loependeJournal.xsd': `${n5}/loependeJournal.xsd`,
  'offentligJournal.xsd': `${n5}/offentligJournal.xsd`, 'addml.xsd': 'addml-8.3/addml.xsd',
};

interface AddmlFacts {
  files: Map<string, string>;
  occurrences: Map<string, Map<string, number>>;
  documentFiles: number | null;
}

/** The files, checksums and counts arkivuttrekk.xml states (it is small: read whole). */
function readAddml(text: string): AddmlFacts {
  const files = new Map<string, string>();
  for (const match of text.matchAll(/<property name="name">\s*<value>([^<]+)<\/value>[\s\S]*?<property name="algorithm">\s*<value>SHA-256<\/value>\s*<\/property>\s*<property name="value">\s*<value>([^<]+)<\/value>/g)) {
    files.set(match[1]!.trim(), match[2]!.trim());
  }
  const occurrences = new Map<string, Map<string, number>>();
  for (const block of text.split(/<dataObject name="/).slice(1)) {
    const name = block.slice(0, block.indexOf('"'));
    const counts = new Map<string, number>();
    for (const match of block.matchAll(/<property name="numberOfOccurrences">\s*<value>([^<]+)<\/value>[\s\S]*?<property dataType="integer" name="value">\s*<value>([^<]+)<\/value>/g)) {
      counts.set(match[1]!.trim(), Number(match[2]));
    }
    if (counts.size > 0) occurrences.set(name, counts);
  }
  const documents = /<property dataType="integer" name="antallDokumentfiler">\s*<value>([^<]+)<\/value>/.exec(text);
  return { files, occurrences, documentFiles: documents ? Number(documents[1]) : null };
}

export async function verifyNoark5(root: string, schemaDir: string): Promise<{ faults: string[]; counts: Record<string, number> }> {
  const faults: string[] = [];
  const present = new Set(await listFiles(root));
  if (!present.has('arkivuttrekk.xml')) return { faults: ['arkivuttrekk.xml is missing'], counts: {} };

  for (const issue of await validateDocument(join(root, 'arkivuttrekk.xml'), 'arkivuttrekk.xml', schemaDir, 'addml-8.3/addml.xsd')) {
    faults.push(`${issue.file}: ${issue.message}`);
  }
  const addml = readAddml(await readFile(join(root, 'arkivuttrekk.xml'), 'utf8'));
  const listed = new Set<string>(['arkivuttrekk.xml']);
  for (const [name, sha256] of addml.files) {
    listed.add(name);
    const digest = await fileDigest(join(root, name));
    if (!digest) faults.push(`${name} is listed in arkivuttrekk.xml but not in the package`);
    else if (digest.sha256 !== sha256) faults.push(`${name}: SHA-256 ${digest.sha256} differs from arkivuttrekk.xml's ${sha256}`);
  }
  for (const [copy, official] of Object.entries(officialCopy)) {
    if (!present.has(copy)) continue;
    const [mine, theirs] = [await fileDigest(join(root, copy)), await fileDigest(join(schemaDir, official))];
    if (mine?.sha256 !== theirs?.sha256) faults.push(`${copy} differs from the official ${official}`);
  }
  for (const [doc, schema] of Object.entries(schemaOf)) {
    if (!present.has(doc)) {
      if (doc === 'arkivstruktur.xml' || doc === 'endringslogg.xml') faults.push(`${doc} is missing`);
      continue;
    }
    if (!addml.files.has(doc)) faults.push(`${doc} is not listed in arkivuttrekk.xml`);
    for (const issue of await validateDocument(join(root, doc), doc, schemaDir, schema, [`${n5}/metadatakatalog.xsd`])) {
      faults.push(`${issue.file}: ${issue.message}`);
    }
  }

  // arkivstruktur.xml: units, journalposter, document objects with their files.
  const units = new Set<string>();
  const journalposts = new Set<string>();
  const referenced = new Map<string, number>();
  const counts = { mappe: 0, registrering: 0, dokumentobjekt: 0, endring: 0, journalregistrering: 0 };
  let expectId: 'journalpost' | 'unit' | null = null;
  let object: { file?: string; sha256?: string; size?: number } | null = null;
  const objects: Array<{ file?: string; sha256?: string; size?: number }> = [];
  if (present.has('arkivstruktur.xml')) {
    await scanXml(join(root, 'arkivstruktur.xml'), (token) => {
      if (token.kind === 'start') {
        if (token.name === 'mappe') counts.mappe++;
        if (token.name === 'registrering') counts.registrering++;
        if (token.name === 'dokumentobjekt') {
          counts.dokumentobjekt++;
          object = {};
          objects.push(object);
        }
        expectId = token.name === 'registrering' && token.attributes.includes('journalpost') ? 'journalpost' : 'unit';
        return;
      }
      if (token.name === 'systemID') {
        units.add(token.value);
        if (expectId === 'journalpost') journalposts.add(token.value);
        expectId = null;
      }
      if (object && token.name === 'referanseDokumentfil') object.file = token.value;
      if (object && token.name === 'sjekksum') object.sha256 = token.value;
      if (object && token.name === 'filstoerrelse') object.size = Number(token.value);
    });
  }
  for (const entry of objects) {
    if (!entry.file) { faults.push('a dokumentobjekt has no referanseDokumentfil'); continue; }
    referenced.set(entry.file, (referenced.get(entry.file) ?? 0) + 1);
    const digest = await fileDigest(join(root, entry.file));
    if (!digest) faults.push(`${entry.file} is referenced by a dokumentobjekt but not in the package`);
    else {
      if (digest.sha256 !== entry.sha256) faults.push(`${entry.file}: SHA-256 ${digest.sha256} differs from its dokumentobjekt's ${entry.sha256}`);
      if (digest.size !== entry.size) faults.push(`${entry.file}: ${digest.size} bytes, its dokumentobjekt says ${entry.size}`);
    }
  }
  for (const [file, times] of referenced) if (times > 1) faults.push(`${file} is referenced by ${times} dokumentobjekter`);
  for (const file of present) {
    if (!listed.has(file) && !referenced.has(file) && !(file in officialCopy)) faults.push(`${file} is in the package but nothing refers to it`);
  }

  if (present.has('endringslogg.xml')) {
    await scanXml(join(root, 'endringslogg.xml'), (token) => {
      if (token.kind === 'start' && token.name === 'endring') counts.endring++;
      if (token.kind === 'leaf' && token.name === 'referanseArkivenhet' && !units.has(token.value)) {
        faults.push(`endringslogg.xml refers to ${token.value}, which arkivstruktur.xml does not hold`);
      }
    });
  }
  for (const journal of ['loependeJournal.xml', 'offentligJournal.xml']) {
    if (!present.has(journal)) {
      if (journalposts.size > 0) faults.push(`${journal} is missing though arkivstruktur.xml holds journalposter`);
      continue;
    }
    const seen = new Set<string>();
    let inJournalpost = false;
    let lines = 0;
    await scanXml(join(root, journal), (token) => {
      if (token.kind === 'start') {
        if (token.name === 'journalregistrering') lines++;
        inJournalpost = token.name === 'journalpost';
        return;
      }
      if (inJournalpost && token.name === 'systemID') {
        seen.add(token.value);
        if (!journalposts.has(token.value)) faults.push(`${journal} lists ${token.value}, which is no journalpost in arkivstruktur.xml`);
        inJournalpost = false;
      }
    });
    for (const id of journalposts) if (!seen.has(id)) faults.push(`journalpost ${id} is missing from ${journal}`);
    const stated = addml.occurrences.get(journal.replace('.xml', ''))?.get('journalregistrering');
    if (stated !== lines) faults.push(`${journal} holds ${lines} journalregistrering, arkivuttrekk.xml says ${stated}`);
    counts.journalregistrering = lines;
  }

  const stated = (object: string, element: string) => addml.occurrences.get(object)?.get(element);
  for (const [objectName, element, actual] of [
    ['arkivstruktur', 'mappe', counts.mappe], ['arkivstruktur', 'registrering', counts.registrering], ['endringslogg', 'endring', counts.endring],
  ] as const) {
    if (stated(objectName, element) !== actual) faults.push(`${objectName}.xml holds ${actual} ${element}, arkivuttrekk.xml says ${stated(objectName, element)}`);
  }
  if (addml.documentFiles !== counts.dokumentobjekt) {
    faults.push(`arkivstruktur.xml holds ${counts.dokumentobjekt} dokumentobjekt, arkivuttrekk.xml says antallDokumentfiler ${addml.documentFiles}`);
  }
  return { faults, counts };
}
