// Writes an E-ARK SIP (CSIP 2.1 / SIP 2.1) with CITS ERMS v3 into a staging folder, streaming:
// representations/rep1/data/erms.xml and the item files grow one page of items at a time, the
// representation's METS lists them with their checksums, and the package METS.xml, schemas/ and
// documentation/ close it. Validation and packing are the caller's (build-package.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { archivePages, folderChannels, planArchive, type ArchiveChannel } from '../archive-source.ts';
import { FileSink, writeWholeFile, type WrittenFile } from '../file-sink.ts';
import type { BuildInput, BuiltFiles } from '../noark5/build-noark5.ts';
import { documentText, documentTitle, itemText } from '../noark5/document-text.ts';
import { systemId } from '../system-id.ts';
import { ermsRules } from '../validate-schematron.ts';
import { channelName, classEnd, classStart, disposedRecordXml, ermsEnd, ermsStart, fileEnd, fileStart, recordXml, type Appendix } from './erms.ts';
import { fileEntry, packageMets, representationMetsEnd, representationMetsStart } from './mets.ts';

const rep = 'representations/rep1';
const copiedSchemas = ['e-ark/mets.xsd', 'e-ark/xlink.xsd', 'e-ark/xml.xsd', 'e-ark/DILCISExtensionMETS.xsd', 'e-ark/DILCISExtensionSIPMETS.xsd', 'cits-erms/ERMS_v3.xsd', 'cits-erms/erms_v3.sch'];

export function sipObjectId(input: Pick<BuildInput, 'org' | 'range' | 'now'>): string {
  return `uuid-${systemId('sip', `${input.org.id}:${input.range.from}:${input.range.to}:${input.range.accountId ?? ''}:${input.now.toISOString()}`)}`;
}

function readme(org: string, from: string, to: string, counts: BuiltFiles['counts']): string {
  return `E-ARK SIP (CSIP 2.1, SIP 2.1; FGS Paketstruktur 2.0) med CITS ERMS v3 (FGS Ärendehantering 2.0)
Arkivbildare: ${org}
Period: ${from} – ${to}
Framställd av Diarium: sociala medier som allmänna handlingar.

representations/rep1/data/erms.xml: kanaler (class), ärenden och kanalår (caseFile/file), registrerade inslag (record)
med innehåll och bevis som UTF-8-text (appendix), gallrade inslag som record med enbart disposal.
Gallrade inslag innehåller inga personuppgifter.
Inslag: ${counts.items}, registrerade: ${counts.registered}, gallrade: ${counts.thinned}, filer: ${counts.documentFiles}.
`;
}

export async function buildEark(input: BuildInput): Promise<BuiltFiles | { empty: true }> {
  const { db, org, range, now, dir } = input;
  const plan = await planArchive(db, org.id, range);
  if (plan.items.length === 0) return { empty: true };
  const channels = new Map(plan.channels.map((c) => [c.id, c]));
  const home = folderChannels(plan);
  const created = now.toISOString();
  const objectId = sipObjectId(input);
  const dataFiles: WrittenFile[] = [];
  let documentFiles = 0;

  const erms = await FileSink.open(dir, `${rep}/data/erms.xml`);
  await erms.write(ermsStart(org, objectId, created));
  let klasse: string | null = null;
  let folder: string | null = null;
  const closeFolder = async () => { if (folder) await erms.write(fileEnd); folder = null; };
  const closeClass = async () => { await closeFolder(); if (klasse) await erms.write(classEnd); klasse = null; };

  let done = 0;
  for await (const page of archivePages(db, org.id, plan)) {
    for (const item of page) {
      const planned = plan.items[done]!;
      const channelId = home.get(planned.folder)!;
      const channel = channels.get(channelId)!;
      if (klasse !== channelId) {
        await closeClass();
        klasse = channelId;
        await erms.write(classStart(channel));
      }
      if (folder !== planned.folder) {
        await closeFolder();
        folder = planned.folder;
        const kind = planned.folder.split(':')[0] as 'case' | 'channel' | 'thinned';
        const year = planned.receivedAt.slice(0, 4);
        const title = kind === 'case' ? `Ärende ${planned.caseRef}` : kind === 'channel' ? `${channelName(channel)} ${year}` : `Gallrade inslag ${channelName(channel)} ${year}`;
        const objectIdOf = kind === 'case' ? planned.caseRef! : `${channel.platform}-${channel.handle}-${year}${kind === 'thinned' ? '-gallrade' : ''}`;
        await erms.write(fileStart(systemId('mappe', `${org.id}:${planned.folder}`), objectIdOf, title, kind));
      }
      const itemChannel: ArchiveChannel = channels.get(item.accountId) ?? channel;
      if (item.registered) {
        const appendices: Appendix[] = [];
        const add = async (name: string, text: string, title: string) => {
          const written = await writeWholeFile(dir, `${rep}/data/${name}`, text);
          dataFiles.push(written);
          appendices.push({ name: title, path: written.path });
        };
        if (item.content) await add(`${item.id}.txt`, itemText(item, itemChannel), 'Innehåll');
        for (const [n, doc] of item.documents.entries()) await add(`${item.id}-${n + 1}.txt`, documentText(doc), documentTitle(doc));
        documentFiles += appendices.length;
        await erms.write(recordXml(item, itemChannel, appendices));
      } else {
        await erms.write(disposedRecordXml(item));
      }
      done++;
    }
    await input.onProgress?.(done, plan.items.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await closeClass();
  await erms.write(ermsEnd);
  const ermsFile = await erms.close();

  const repMets = await FileSink.open(dir, `${rep}/METS.xml`);
  await repMets.write(representationMetsStart(created));
  await repMets.write(fileEntry('f-erms', ermsFile, 'data/erms.xml', created));
  for (const [n, file] of dataFiles.entries()) await repMets.write(fileEntry(`f-${n + 1}`, file, file.path.slice(rep.length + 1), created));
  await repMets.write(representationMetsEnd);
  const repMetsFile = await repMets.close();

  const schemas: WrittenFile[] = [];
  for (const from of copiedSchemas) {
    schemas.push(await writeWholeFile(dir, `schemas/${from.slice(from.lastIndexOf('/') + 1)}`, await readFile(join(input.schemaDir, from))));
  }
  const counts = { items: plan.items.length, registered: plan.registered, thinned: plan.thinned, documentFiles };
  const documentation = [await writeWholeFile(dir, 'documentation/README.txt', readme(org.name, range.from, range.to, counts))];
  const mets = await writeWholeFile(dir, 'METS.xml', packageMets({ objectId, created, org, documentation, schemas, representationMets: repMetsFile }));

  const metsSchema = { schema: 'e-ark/mets-offline.xsd', imports: ['e-ark/mets.xsd', 'e-ark/xlink.xsd', 'e-ark/xml.xsd', 'e-ark/DILCISExtensionMETS.xsd', 'e-ark/DILCISExtensionSIPMETS.xsd'] };
  return {
    files: [mets, repMetsFile, ermsFile, ...dataFiles, ...schemas, ...documentation],
    documents: [
      { path: 'METS.xml', ...metsSchema },
      { path: `${rep}/METS.xml`, ...metsSchema },
      { path: `${rep}/data/erms.xml`, schema: 'cits-erms/ERMS_v3.xsd', imports: [], schematron: ermsRules },
    ],
    counts,
  };
}
