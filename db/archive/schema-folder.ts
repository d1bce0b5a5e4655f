// The official schema files, laid out as ../shared/schemas (docs/archive-export.md): the project
// does not commit copies, so an export takes the folder as a setting (ARCHIVE_SCHEMAS) and refuses
// to start without it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Every file the packages copy or validate against, relative to the schema folder. */
export const schemaFiles = {
  noark5: ['noark5-v5.0/arkivstruktur.xsd', 'noark5-v5.0/metadatakatalog.xsd', 'noark5-v5.0/endringslogg.xsd',
    'noark5-v5.0/loependeJournal.xsd', 'noark5-v5.0/offentligJournal.xsd', 'addml-8.3/addml.xsd'],
  'eark-sip': ['e-ark/mets.xsd', 'e-ark/mets-offline.xsd', 'e-ark/xlink.xsd', 'e-ark/xml.xsd',
    'e-ark/DILCISExtensionMETS.xsd', 'e-ark/DILCISExtensionSIPMETS.xsd', 'cits-erms/ERMS_v3.xsd', 'cits-erms/erms_v3.sch'],
} as const;

export type ArchiveFormat = keyof typeof schemaFiles;

export const whereToGetSchemas =
  'Set ARCHIVE_SCHEMAS to a folder laid out like shared/schemas: noark5-v5.0/ and addml-8.3/ from Arkivverket '
  + '(github.com/arkivverket/schemas, N5/v5.0 and ADDML/v8.3), e-ark/ (METS 1.12, xlink, the E-ARK CSIP and SIP METS '
  + 'extensions from github.com/DILCISBoard) and cits-erms/ (ERMS_v3.xsd from github.com/DILCISBoard/CITS-ERMS). '
  + 'See docs/archive-export.md.';

export type SchemaCheck = { ok: true; dir: string } | { ok: false; detail: string };

/** Whether `dir` holds every schema a package of `format` needs; the detail says what is missing and where to get it. */
export function checkSchemaFolder(dir: string | undefined, format: ArchiveFormat): SchemaCheck {
  if (!dir) return { ok: false, detail: `No schema folder is configured. ${whereToGetSchemas}` };
  const missing = schemaFiles[format].filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) return { ok: false, detail: `The schema folder ${dir} lacks ${missing.join(', ')}. ${whereToGetSchemas}` };
  return { ok: true, dir };
}
