// The Noark 5 XML of one item, pure: a journalpost for a registered item (with its documents), a
// registrering that records a disposal for a thinned one (no personal data), the item's lines in
// the running and public journals, and its history as endringslogg entries.
import type { ArchiveChannel, ArchiveItem } from '../archive-source.ts';
import { systemId } from '../system-id.ts';
import { el } from '../xml.ts';
import { authorName, channelTitle, isRestricted, itemTitle, kindLabel, masked } from './labels.ts';

export const by = 'Diarium';

/** A file written for a dokumentobjekt: its path in the package, checksum and size. */
export interface DocumentFile {
  path: string;
  sha256: string;
  size: number;
  title: string;
  createdAt: string;
  main: boolean;
}

/** The folder an item is filed in, as the journals repeat it. */
export interface FolderInfo {
  systemId: string;
  mappeId: string;
  title: string;
  year: number;
  sequence: number;
  unit: string;
}

export interface JournalNumber {
  year: number;
  sequence: number;
  /** The item's number within its folder. */
  inFolder: number;
  date: string;
}

export function journalpostId(item: ArchiveItem): string {
  return systemId('journalpost', item.id);
}

function skjerming(indent: string): string {
  return `${indent}<skjerming>\n${el('tilgangsrestriksjon', '13', `${indent}  `)}${el('skjermingshjemmel', 'Offl. § 13, jf. fvl. § 13', `${indent}  `)}`
    + `${el('skjermingMetadata', 'tittel', `${indent}  `)}${el('skjermingMetadata', 'korrespondansepart', `${indent}  `)}${indent}</skjerming>\n`;
}

function dokumentbeskrivelse(item: ArchiveItem, file: DocumentFile, number: number, indent: string): string {
  const i2 = `${indent}  `;
  const i3 = `${indent}    `;
  return `${indent}<dokumentbeskrivelse>\n`
    + el('systemID', systemId('dokumentbeskrivelse', `${item.id}:${number}`), i2)
    + el('dokumenttype', file.main ? kindLabel(item.kind) : 'Vedlegg', i2)
    + el('dokumentstatus', 'Dokumentet er ferdigstilt', i2)
    + el('tittel', file.title, i2)
    + el('opprettetDato', file.createdAt, i2)
    + el('opprettetAv', by, i2)
    + el('tilknyttetRegistreringSom', file.main ? 'Hoveddokument' : 'Vedlegg', i2)
    + el('dokumentnummer', number, i2)
    + el('tilknyttetDato', file.createdAt, i2)
    + el('tilknyttetAv', by, i2)
    + `${i2}<dokumentobjekt>\n`
    + el('systemID', systemId('dokumentobjekt', `${item.id}:${number}`), i3)
    + el('versjonsnummer', 1, i3)
    + el('variantformat', 'Arkivformat', i3)
    + el('format', 'x-fmt/111', i3)
    + el('formatDetaljer', 'UTF-8', i3)
    + el('opprettetDato', file.createdAt, i3)
    + el('opprettetAv', by, i3)
    + el('referanseDokumentfil', file.path, i3)
    + el('sjekksum', file.sha256, i3)
    + el('sjekksumAlgoritme', 'SHA256', i3)
    + el('filstoerrelse', file.size, i3)
    + `${i2}</dokumentobjekt>\n${indent}</dokumentbeskrivelse>\n`;
}

export function journalpostXml(item: ArchiveItem, channel: ArchiveChannel, files: DocumentFile[], number: JournalNumber, indent: string): string {
  const i2 = `${indent}  `;
  const i3 = `${indent}    `;
  const registered = item.registered!;
  const author = authorName(item);
  const restricted = isRestricted(item);
  return `${indent}<registrering xsi:type="journalpost">\n`
    + el('systemID', journalpostId(item), i2)
    + el('opprettetDato', item.receivedAt, i2)
    + el('opprettetAv', by, i2)
    + el('arkivertDato', registered.at, i2)
    + el('arkivertAv', registered.by, i2)
    + (restricted ? skjerming(i2) : '')
    + files.map((file, n) => dokumentbeskrivelse(item, file, n + 1, i2)).join('')
    + el('registreringsID', registered.number, i2)
    + el('tittel', itemTitle(item, channel, author), i2)
    + el('offentligTittel', itemTitle(item, channel, restricted ? masked : author), i2)
    + `${i2}<korrespondansepart>\n`
    + el('korrespondanseparttype', 'Avsender', i3)
    + el('korrespondansepartNavn', author, i3)
    + `${i2}</korrespondansepart>\n`
    + el('journalaar', number.year, i2)
    + el('journalsekvensnummer', number.sequence, i2)
    + el('journalpostnummer', number.inFolder, i2)
    + el('journalposttype', item.direction === 'inbound' ? 'Inngående dokument' : 'Utgående dokument', i2)
    + el('journalstatus', 'Arkivert', i2)
    + el('journaldato', number.date, i2)
    + el(item.direction === 'inbound' ? 'mottattDato' : 'sendtDato', item.receivedAt, i2)
    + `${indent}</registrering>\n`;
}

/** A thinned item: that it existed, when and under which rule it was disposed of; nothing it said or who said it. */
export function disposalXml(item: ArchiveItem, indent: string): string {
  const i2 = `${indent}  `;
  const i3 = `${indent}    `;
  const thinned = item.thinned!;
  const kind = `${kindLabel(item.kind)} (${item.direction === 'inbound' ? 'inngående' : 'utgående'})`;
  return `${indent}<registrering>\n`
    + el('systemID', systemId('registrering', item.id), i2)
    + el('opprettetDato', item.receivedAt, i2)
    + el('opprettetAv', by, i2)
    + el('arkivertDato', item.receivedAt, i2)
    + el('arkivertAv', by, i2)
    + `${i2}<dokumentbeskrivelse>\n`
    + el('systemID', systemId('dokumentbeskrivelse', `${item.id}:1`), i3)
    + el('dokumenttype', kindLabel(item.kind), i3)
    + el('dokumentstatus', 'Dokumentet er ferdigstilt', i3)
    + el('tittel', `${kind}, kassert`, i3)
    + el('opprettetDato', item.receivedAt, i3)
    + el('opprettetAv', by, i3)
    + el('tilknyttetRegistreringSom', 'Hoveddokument', i3)
    + el('dokumentnummer', 1, i3)
    + el('tilknyttetDato', item.receivedAt, i3)
    + el('tilknyttetAv', by, i3)
    + `${i3}<kassasjon>\n`
    + el('kassasjonsvedtak', 'Kasseres', `${i3}  `)
    + el('kassasjonshjemmel', thinned.rule, `${i3}  `)
    + el('bevaringstid', 0, `${i3}  `)
    + el('kassasjonsdato', thinned.at.slice(0, 10), `${i3}  `)
    + `${i3}</kassasjon>\n`
    + `${i3}<utfoertKassasjon>\n`
    + el('kassertDato', thinned.at, `${i3}  `)
    + el('kassertAv', thinned.by, `${i3}  `)
    + `${i3}</utfoertKassasjon>\n`
    + `${i2}</dokumentbeskrivelse>\n`
    + el('tittel', `${kind}, kassert`, i2)
    + `${indent}</registrering>\n`;
}

/** The item's line in loependeJournal.xml (public: false) or offentligJournal.xml (public: true). */
export function journalregistreringXml(
  item: ArchiveItem, channel: ArchiveChannel, channelKeyValue: string, folder: FolderInfo, number: JournalNumber, isPublic: boolean,
): string {
  const restricted = isRestricted(item);
  const author = authorName(item);
  const shown = isPublic && restricted ? masked : author;
  const i3 = '      ';
  return '  <journalregistrering>\n    <klasse>\n'
    + el('klasseID', channelKeyValue, i3) + el('tittel', channelTitle(channel), i3)
    + '    </klasse>\n    <saksmappe>\n'
    + el('mappeID', folder.mappeId, i3)
    + el('saksaar', folder.year, i3)
    + el('sakssekvensnummer', folder.sequence, i3)
    + (isPublic ? '' : el('tittel', folder.title, i3))
    + el('offentligTittel', folder.title, i3)
    + el('administrativEnhet', folder.unit, i3)
    + '    </saksmappe>\n    <journalpost>\n'
    + el('systemID', journalpostId(item), i3)
    + el('registreringsID', item.registered!.number, i3)
    + el('journalaar', number.year, i3)
    + el('journalsekvensnummer', number.sequence, i3)
    + el('journalpostnummer', number.inFolder, i3)
    + (isPublic ? '' : el('tittel', itemTitle(item, channel, author), i3))
    + el('offentligTittel', itemTitle(item, channel, shown), i3)
    + (restricted ? el('skjermingMetadata', 'tittel korrespondansepart', i3) : '')
    + el('journaldato', number.date, i3)
    + el('dokumentetsDato', item.receivedAt.slice(0, 10), i3)
    + el('administrativEnhet', folder.unit, i3)
    + (restricted ? el('tilgangsrestriksjon', '13', i3) + el('skjermingshjemmel', 'Offl. § 13, jf. fvl. § 13', i3) : '')
    + '      <korrespondansepart>\n'
    + el('korrespondanseparttype', 'Avsender', '        ')
    + el('korrespondansepartNavn', shown, '        ')
    + '      </korrespondansepart>\n    </journalpost>\n  </journalregistrering>\n';
}

function stateText(value: unknown): string {
  if (value === null || value === undefined) return '(ingen)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The item's ledger events as endringslogg entries on its registrering (hash-chained history, no content). */
export function endringXml(item: ArchiveItem): string {
  const ref = item.registered ? journalpostId(item) : systemId('registrering', item.id);
  return item.events.map((event) => '  <endring>\n'
    + el('referanseArkivenhet', ref, '    ')
    + el('referanseMetadata', 'status', '    ')
    + el('endretDato', event.at, '    ')
    + el('endretAv', event.actor.keyId ? `${event.actor.role} (${event.actor.keyId})` : event.actor.role, '    ')
    + el('tidligereVerdi', stateText(event.from), '    ')
    + el('nyVerdi', `${event.type}: ${stateText(event.to)} [hash ${event.hash}]`, '    ')
    + '  </endring>\n').join('');
}

