// METS documents of an E-ARK SIP (CSIP 2.1 / SIP 2.1, FGS Paketstruktur 2.0), pure: the package
// METS.xml with its agents, documentation, schemas and the representation's METS, and the
// representation's METS.xml listing its data files. Every file carries SIZE, CREATED, CHECKSUM
// and CHECKSUMTYPE="SHA-256".
import type { WrittenFile } from '../file-sink.ts';
import { esc, xmlDeclaration } from '../xml.ts';

const namespaces = 'xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink" '
  + 'xmlns:csip="https://DILCIS.eu/XML/METS/CSIPExtensionMETS" xmlns:sip="https://DILCIS.eu/XML/METS/SIPExtensionMETS"';

const creator = '<agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"><name>Diarium</name><note csip:NOTETYPE="SOFTWARE VERSION">0.1.0</note></agent>';

const mimeTypes: Record<string, string> = { xml: 'application/xml', xsd: 'application/xml', sch: 'application/xml', txt: 'text/plain', pdf: 'application/pdf', png: 'image/png' };

export function mimeType(path: string): string {
  return mimeTypes[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

/** A <file> entry; `href` is relative to the METS document that lists it. */
export function fileEntry(id: string, file: WrittenFile, href: string, created: string): string {
  return `      <file ID="${esc(id)}" MIMETYPE="${mimeType(file.path)}" SIZE="${file.size}" CREATED="${esc(created)}" `
    + `CHECKSUM="${file.sha256.toUpperCase()}" CHECKSUMTYPE="SHA-256"><FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="${esc(href)}"/></file>\n`;
}

export function representationMetsStart(created: string): string {
  return `${xmlDeclaration}<mets ${namespaces} OBJID="rep1" TYPE="Dataset" csip:CONTENTINFORMATIONTYPE="citserms_v3_0" PROFILE="https://earksip.dilcis.eu/profile/E-ARK-SIP.xml">
  <metsHdr CREATEDATE="${esc(created)}" csip:OAISPACKAGETYPE="SIP">${creator}</metsHdr>
  <fileSec ID="fs-rep1">
    <fileGrp ID="fg-data" USE="Data">
`;
}

export const representationMetsEnd = `    </fileGrp>
  </fileSec>
  <structMap ID="sm-rep1" TYPE="PHYSICAL" LABEL="CSIP">
    <div ID="d-rep1" LABEL="rep1"><div ID="d-data" LABEL="Data"><fptr FILEID="fg-data"/></div></div>
  </structMap>
</mets>
`;

export interface PackageMetsInput {
  objectId: string;
  created: string;
  org: { name: string; slug: string };
  documentation: WrittenFile[];
  schemas: WrittenFile[];
  representationMets: WrittenFile;
}

export function packageMets(input: PackageMetsInput): string {
  const { created } = input;
  const org = `<name>${esc(input.org.name)}</name><note csip:NOTETYPE="IDENTIFICATIONCODE">${esc(input.org.slug)}</note>`;
  const group = (id: string, use: string, files: WrittenFile[], prefix: string) => `    <fileGrp ID="${id}" USE="${use}">\n`
    + files.map((file, n) => fileEntry(`${prefix}-${n + 1}`, file, file.path, created)).join('') + '    </fileGrp>\n';
  return `${xmlDeclaration}<mets ${namespaces} OBJID="${esc(input.objectId)}" TYPE="Dataset" csip:CONTENTINFORMATIONTYPE="citserms_v3_0" PROFILE="https://earksip.dilcis.eu/profile/E-ARK-SIP.xml">
  <metsHdr CREATEDATE="${esc(created)}" LASTMODDATE="${esc(created)}" RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">
    ${creator}
    <agent ROLE="ARCHIVIST" TYPE="ORGANIZATION">${org}</agent>
    <agent ROLE="OTHER" OTHERROLE="SUBMITTER" TYPE="ORGANIZATION">${org}</agent>
  </metsHdr>
  <fileSec ID="fs-root">
${group('fg-doc', 'Documentation', input.documentation, 'f-doc')}${group('fg-schemas', 'Schemas', input.schemas, 'f-schema')}    <fileGrp ID="fg-rep1" USE="Representations/rep1" csip:CONTENTINFORMATIONTYPE="citserms_v3_0">
${fileEntry('f-rep1mets', input.representationMets, input.representationMets.path, created)}    </fileGrp>
  </fileSec>
  <structMap ID="sm-root" TYPE="PHYSICAL" LABEL="CSIP">
    <div ID="d-root" LABEL="${esc(input.objectId)}">
      <div ID="d-md" LABEL="Metadata"/>
      <div ID="d-doc" LABEL="Documentation"><fptr FILEID="fg-doc"/></div>
      <div ID="d-schemas" LABEL="Schemas"><fptr FILEID="fg-schemas"/></div>
      <div ID="d-reps" LABEL="Representations/rep1"><mptr LOCTYPE="URL" xlink:type="simple" xlink:href="representations/rep1/METS.xml" xlink:title="fg-rep1"/></div>
    </div>
  </structMap>
</mets>
`;
}
