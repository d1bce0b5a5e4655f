// Writes a Noark 5 arkivuttrekk into a staging folder, streaming: arkivstruktur.xml, the running
// and public journals and endringslogg.xml grow together, one page of items at a time, and every
// file's SHA-256 and size are taken as it is written. arkivuttrekk.xml (ADDML) comes last, with
// the checksums. Validation and packing are the caller's (build-package.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../client.ts';
import { archivePages, folderChannels, planArchive, type ArchiveChannel, type ArchiveRange } from '../archive-source.ts';
import { FileSink, writeWholeFile, type WrittenFile } from '../file-sink.ts';
import { localDate } from '../local-date.ts';
import { systemId } from '../system-id.ts';
import { el, xmlDeclaration } from '../xml.ts';
import { addmlDocument } from './addml.ts';
import { documentText, documentTitle, itemText } from './document-text.ts';
import { channelKey, channelTitle } from './labels.ts';
import { by, disposalXml, endringXml, journalpostXml, journalregistreringXml, type DocumentFile, type FolderInfo } from './records.ts';

export interface ArchiveOrganisation {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
}

export interface BuildInput {
  db: Db;
  org: ArchiveOrganisation;
  range: ArchiveRange;
  /** The instant the package is made (passed in: nothing below the entry files reads the clock). */
  now: Date;
  schemaDir: string;
  /** Empty folder the package's files are written into. */
  dir: string;
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

export interface BuiltFiles {
  files: WrittenFile[];
  /** XML documents with the schema that validates each (paths relative to the schema folder). */
  documents: Array<{ path: string; schema: string; imports: string[]; schematron?: string }>;
  counts: { items: number; registered: number; thinned: number; documentFiles: number };
}

const n5 = 'noark5-v5.0';
const ns = 'http://www.arkivverket.no/standarder/noark5';

/** The root element's start tag; `schema` names the namespace and its .xsd when it differs from the element. */
function root(element: string, schema = element): string {
  return `${xmlDeclaration}<${element} xmlns="${ns}/${schema}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" `
    + `xsi:schemaLocation="${ns}/${schema} ${schema}.xsd">\n`;
}

interface Folder extends FolderInfo {
  key: string;
  kind: 'case' | 'channel' | 'thinned';
  firstAt: string;
  lastAt: string;
}

/** Every folder of the plan, numbered per year in the plan's order (saksaar/sakssekvensnummer). */
function foldersOf(plan: Awaited<ReturnType<typeof planArchive>>, channels: Map<string, ArchiveChannel>, org: ArchiveOrganisation) {
  const folders = new Map<string, Folder>();
  const perYear = new Map<number, number>();
  const home = folderChannels(plan);
  for (const item of plan.items) {
    const found = folders.get(item.folder);
    if (found) {
      if (item.receivedAt > found.lastAt) found.lastAt = item.receivedAt;
      continue;
    }
    const kind = item.folder.split(':')[0] as Folder['kind'];
    const channel = channels.get(home.get(item.folder)!)!;
    const year = Number(localDate(item.receivedAt, org.timeZone).slice(0, 4));
    const sequence = (perYear.get(year) ?? 0) + 1;
    if (kind !== 'thinned') perYear.set(year, sequence);
    const title = kind === 'case' ? `Sak ${item.caseRef}` : kind === 'channel'
      ? `${channelTitle(channel)} ${year}` : `Kasserte innslag ${channelTitle(channel)} ${year}`;
    folders.set(item.folder, {
      key: item.folder, kind, firstAt: item.receivedAt, lastAt: item.receivedAt,
      systemId: systemId('mappe', `${org.id}:${item.folder}`),
      mappeId: kind === 'case' ? item.caseRef! : `${channelKey(channel)}-${year}${kind === 'thinned' ? '-kassert' : ''}`,
      title, year, sequence, unit: channel.ownerUnit || org.name,
    });
  }
  return { folders, home };
}

export async function buildNoark5(input: BuildInput): Promise<BuiltFiles | { empty: true }> {
  const { db, org, range, now, dir } = input;
  const plan = await planArchive(db, org.id, range);
  if (plan.items.length === 0) return { empty: true };
  const channels = new Map(plan.channels.map((c) => [c.id, c]));
  const { folders, home } = foldersOf(plan, channels, org);
  const nowIso = now.toISOString();
  const files: WrittenFile[] = [];
  const counts = { mappe: 0, registrering: 0, endring: 0, journalregistrering: 0, documentFiles: 0 };

  const structure = await FileSink.open(dir, 'arkivstruktur.xml');
  const changes = await FileSink.open(dir, 'endringslogg.xml');
  const journals = plan.registered > 0
    ? { running: await FileSink.open(dir, 'loependeJournal.xml'), open: await FileSink.open(dir, 'offentligJournal.xml') }
    : null;

  const periodStart = localDate(range.from, org.timeZone);
  const periodEnd = localDate(new Date(Date.parse(range.to) - 1).toISOString(), org.timeZone);
  await structure.write(root('arkiv', 'arkivstruktur')
    + el('systemID', systemId('arkiv', org.id), '  ')
    + el('tittel', `Sosiale medier – ${org.name}`, '  ')
    + el('opprettetDato', nowIso, '  ') + el('opprettetAv', by, '  ')
    + el('avsluttetDato', nowIso, '  ') + el('avsluttetAv', by, '  ')
    + `  <arkivskaper>\n${el('arkivskaperID', org.slug, '    ')}${el('arkivskaperNavn', org.name, '    ')}  </arkivskaper>\n`
    + '  <arkivdel>\n'
    + el('systemID', systemId('arkivdel', `${org.id}:${range.from}:${range.to}:${range.accountId ?? ''}`), '    ')
    + el('tittel', `Sosiale medier ${periodStart} – ${periodEnd}`, '    ')
    + el('arkivdelstatus', 'Avsluttet periode', '    ')
    + el('opprettetDato', nowIso, '    ') + el('opprettetAv', by, '    ')
    + el('avsluttetDato', nowIso, '    ') + el('avsluttetAv', by, '    ')
    + el('arkivperiodeStartDato', periodStart, '    ') + el('arkivperiodeSluttDato', periodEnd, '    ')
    + '    <klassifikasjonssystem>\n'
    + el('systemID', systemId('klassifikasjonssystem', org.id), '      ')
    + el('klassifikasjonstype', 'Egendefinert', '      ')
    + el('tittel', 'Kanaler', '      ')
    + el('opprettetDato', nowIso, '      ') + el('opprettetAv', by, '      '));
  await changes.write(root('endringslogg'));
  if (journals) {
    for (const [sink, element] of [[journals.running, 'loependeJournal'], [journals.open, 'offentligJournal']] as const) {
      await sink.write(root(element) + '  <journalhode>\n'
        + el('journalStartDato', periodStart, '    ') + el('journalSluttDato', periodEnd, '    ')
        + el('antallJournalposter', plan.registered, '    ')
        + `    <arkivskaper>\n${el('arkivskaperID', org.slug, '      ')}${el('arkivskaperNavn', org.name, '      ')}    </arkivskaper>\n`
        + '  </journalhode>\n');
    }
  }

  let klasse: string | null = null;
  let folder: Folder | null = null;
  let inFolder = 0;
  const journalSequence = new Map<number, number>();
  const closeFolder = async () => {
    if (!folder) return;
    const i = '          ';
    let tail = '';
    if (folder.kind !== 'thinned') {
      tail = el('saksaar', folder.year, i) + el('sakssekvensnummer', folder.sequence, i)
        + el('saksdato', localDate(folder.firstAt, org.timeZone), i) + el('administrativEnhet', folder.unit, i)
        + el('saksansvarlig', 'Arkivansvarlig', i) + el('saksstatus', 'Avsluttet', i);
    }
    await structure.write(`${tail}        </mappe>\n`);
    folder = null;
  };
  const closeKlasse = async () => {
    await closeFolder();
    if (klasse) await structure.write('      </klasse>\n');
    klasse = null;
  };

  let done = 0;
  for await (const page of archivePages(db, org.id, plan)) {
    for (const item of page) {
      const planned = plan.items[done]!;
      const next = folders.get(planned.folder)!;
      const channelId = home.get(planned.folder)!;
      const channel = channels.get(channelId)!;
      if (klasse !== channelId) {
        await closeKlasse();
        klasse = channelId;
        await structure.write('      <klasse>\n'
          + el('systemID', systemId('klasse', channelId), '        ')
          + el('klasseID', channelKey(channel), '        ')
          + el('tittel', channelTitle(channel), '        ')
          + el('beskrivelse', channel.purpose, '        ')
          + el('opprettetDato', channel.createdAt, '        ') + el('opprettetAv', by, '        '));
      }
      if (folder?.key !== next.key) {
        await closeFolder();
        folder = next;
        inFolder = 0;
        counts.mappe++;
        const i = '          ';
        await structure.write(`        <mappe${next.kind === 'thinned' ? '' : ' xsi:type="saksmappe"'}>\n`
          + el('systemID', next.systemId, i) + el('mappeID', next.mappeId, i) + el('tittel', next.title, i)
          + el('opprettetDato', next.firstAt, i) + el('opprettetAv', by, i)
          + el('avsluttetDato', next.lastAt, i) + el('avsluttetAv', by, i));
      }
      const itemChannel = channels.get(item.accountId) ?? channel;
      counts.registrering++;
      if (item.registered) {
        const docs: DocumentFile[] = [];
        if (item.content) {
          const written = await writeWholeFile(dir, `dokumenter/${item.id}.txt`, itemText(item, itemChannel));
          docs.push({ ...written, title: `${channelTitle(itemChannel)}: innholdet`, createdAt: item.receivedAt, main: true });
        }
        for (const [n, doc] of item.documents.entries()) {
          const written = await writeWholeFile(dir, `dokumenter/${item.id}-${n + 1}.txt`, documentText(doc));
          docs.push({ ...written, title: documentTitle(doc), createdAt: doc.createdAt, main: docs.length === 0 });
        }
        for (const doc of docs) files.push({ path: doc.path, sha256: doc.sha256, size: doc.size });
        counts.documentFiles += docs.length;
        const date = localDate(item.registered.at, org.timeZone);
        const year = Number(date.slice(0, 4));
        const sequence = (journalSequence.get(year) ?? 0) + 1;
        journalSequence.set(year, sequence);
        inFolder++;
        const number = { year, sequence, inFolder, date };
        await structure.write(journalpostXml(item, itemChannel, docs, number, '          '));
        if (journals) {
          await journals.running.write(journalregistreringXml(item, itemChannel, channelKey(channel), next, number, false));
          await journals.open.write(journalregistreringXml(item, itemChannel, channelKey(channel), next, number, true));
          counts.journalregistrering++;
        }
      } else {
        await structure.write(disposalXml(item, '          '));
      }
      await changes.write(endringXml(item));
      counts.endring += item.events.length;
      done++;
    }
    await input.onProgress?.(done, plan.items.length);
    // Lets the server answer other requests between pages.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await closeKlasse();
  await structure.write('    </klassifikasjonssystem>\n  </arkivdel>\n</arkiv>\n');
  await changes.write('</endringslogg>\n');
  const written = [await structure.close(), await changes.close()];
  if (journals) {
    await journals.running.write('</loependeJournal>\n');
    await journals.open.write('</offentligJournal>\n');
    written.push(await journals.running.close(), await journals.open.close());
  }
  files.push(...written);

  const schemas = new Map<string, WrittenFile>();
  for (const name of ['arkivstruktur.xsd', 'metadatakatalog.xsd', 'endringslogg.xsd', 'loependeJournal.xsd', 'offentligJournal.xsd']) {
    schemas.set(name, await copySchema(input.schemaDir, `${n5}/${name}`, dir, name));
  }
  schemas.set('addml.xsd', await copySchema(input.schemaDir, 'addml-8.3/addml.xsd', dir, 'addml.xsd'));
  files.push(...schemas.values());

  const byName = new Map(written.map((file) => [file.path, file]));
  const object = (name: string, occurrences: Record<string, number>) => ({
    name,
    file: { name: `${name}.xml`, sha256: byName.get(`${name}.xml`)!.sha256 },
    schema: { name: `${name}.xsd`, sha256: schemas.get(`${name}.xsd`)!.sha256 },
    catalogue: { name: 'metadatakatalog.xsd', sha256: schemas.get('metadatakatalog.xsd')!.sha256 },
    occurrences,
  });
  const objects = [
    object('arkivstruktur', { mappe: counts.mappe, registrering: counts.registrering }),
    object('endringslogg', { endring: counts.endring }),
    ...(journals ? [
      object('loependeJournal', { journalregistrering: counts.journalregistrering }),
      object('offentligJournal', { journalregistrering: counts.journalregistrering }),
    ] : []),
  ];
  files.push(await writeWholeFile(dir, 'arkivuttrekk.xml', addmlDocument({
    recordCreator: org.name, systemName: 'Diarium', archive: `Sosiale medier – ${org.name}`,
    startDate: periodStart, endDate: periodEnd,
    containsRestricted: true, containsDisposed: plan.thinned > 0, documentFiles: counts.documentFiles, objects,
  })));

  const imports = [`${n5}/metadatakatalog.xsd`];
  return {
    files,
    documents: [
      { path: 'arkivuttrekk.xml', schema: 'addml-8.3/addml.xsd', imports: [] },
      { path: 'arkivstruktur.xml', schema: `${n5}/arkivstruktur.xsd`, imports },
      { path: 'endringslogg.xml', schema: `${n5}/endringslogg.xsd`, imports },
      ...(journals ? [
        { path: 'loependeJournal.xml', schema: `${n5}/loependeJournal.xsd`, imports },
        { path: 'offentligJournal.xml', schema: `${n5}/offentligJournal.xsd`, imports },
      ] : []),
    ],
    counts: { items: plan.items.length, registered: plan.registered, thinned: plan.thinned, documentFiles: counts.documentFiles },
  };
}

/** The package carries the schemas it is described by, unmodified. */
async function copySchema(schemaDir: string, from: string, dir: string, to: string): Promise<WrittenFile> {
  return writeWholeFile(dir, to, await readFile(join(schemaDir, from)));
}
