// arkivuttrekk.xml: the ADDML 8.3 description of a Noark 5 arkivuttrekk, laid out as Arkivverket's
// template: who made the records, the period, and per XML file its schemas, its SHA-256 and the
// number of its main elements. Pure: the caller passes checksums and counts.
import { esc, xmlDeclaration } from '../xml.ts';

export interface AddmlFile {
  name: string;
  sha256: string;
}

export interface AddmlDataObject {
  /** e.g. arkivstruktur; the file is NAME.xml and its main schema NAME.xsd. */
  name: string;
  file: AddmlFile;
  schema: AddmlFile;
  /** metadatakatalog.xsd, imported by the main schema. */
  catalogue: AddmlFile;
  /** element name → how many times it occurs in the file. */
  occurrences: Record<string, number>;
}

export interface AddmlInput {
  recordCreator: string;
  systemName: string;
  archive: string;
  startDate: string;
  endDate: string;
  containsRestricted: boolean;
  containsDisposed: boolean;
  documentFiles: number;
  objects: AddmlDataObject[];
}

type Property = { name: string; value?: string | number; dataType?: string; children?: Property[] };

function prop(name: string, value?: string | number, children?: Property[], dataType?: string): Property {
  return { name, ...(value === undefined ? {} : { value }), ...(children ? { children } : {}), ...(dataType ? { dataType } : {}) };
}

function render(list: Property[], depth: number): string {
  const pad = '  '.repeat(depth);
  let out = `${pad}<properties>\n`;
  for (const p of list) {
    out += `${pad}  <property${p.dataType ? ` dataType="${p.dataType}"` : ''} name="${esc(p.name)}">\n`;
    if (p.value !== undefined) out += `${pad}    <value>${esc(p.value)}</value>\n`;
    if (p.children) out += render(p.children, depth + 2);
    out += `${pad}  </property>\n`;
  }
  return `${out}${pad}</properties>\n`;
}

function checksum(file: AddmlFile): Property[] {
  return [
    prop('name', file.name),
    prop('format', 'XML', [prop('version', '1.0')]),
    prop('checksum', undefined, [prop('algorithm', 'SHA-256'), prop('value', file.sha256)]),
  ];
}

function dataObject(object: AddmlDataObject): string {
  const properties: Property[] = [
    prop('file', undefined, checksum(object.file)),
    prop('schema', 'main', [prop('file', undefined, checksum(object.schema)), prop('type', 'XML Schema', [prop('version', '1.0')])]),
    prop('schema', undefined, [prop('file', undefined, checksum(object.catalogue)), prop('type', 'XML Schema', [prop('version', '1.0')])]),
    prop('info', undefined, Object.entries(object.occurrences).map(([element, count]) =>
      prop('numberOfOccurrences', element, [prop('elementPath', `//${element}`), prop('value', count, undefined, 'integer')]))),
  ];
  return `          <dataObject name="${esc(object.name)}">\n${render(properties, 6)}          </dataObject>\n`;
}

function additional(name: string, value: string): string {
  return `              <additionalElement name="${name}">\n                <value>${esc(value)}</value>\n              </additionalElement>\n`;
}

export function addmlDocument(input: AddmlInput): string {
  const info: Property[] = [
    prop('info', undefined, [
      prop('type', 'Noark 5', [prop('version', '5.0')]),
      prop('additionalInfo', undefined, [
        prop('periode', undefined, [prop('inngaaendeSkille', 'skarpt'), prop('utgaaendeSkille', 'skarpt')]),
        prop('inneholderSkjermetInformasjon', String(input.containsRestricted), undefined, 'boolean'),
        prop('omfatterDokumenterSomErKassert', String(input.containsDisposed), undefined, 'boolean'),
        prop('inneholderDokumenterSomSkalKasseres', 'false', undefined, 'boolean'),
        prop('inneholderVirksomhetsspesifikkeMetadata', 'false', undefined, 'boolean'),
        prop('antallDokumentfiler', input.documentFiles, undefined, 'integer'),
      ]),
    ]),
  ];
  return `${xmlDeclaration}<addml xmlns="http://www.arkivverket.no/standarder/addml" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.arkivverket.no/standarder/addml addml.xsd" name="Noark 5-arkivuttrekk">
  <dataset>
    <description>Noark 5-arkivuttrekk</description>
    <reference>
      <context>
        <additionalElements>
          <additionalElement name="recordCreators">
            <additionalElements>
              <additionalElement name="recordCreator">
                <value>${esc(input.recordCreator)}</value>
              </additionalElement>
            </additionalElements>
          </additionalElement>
${additional('systemType', 'Sakarkiv (Noark-5)').replace(/^ {2}/gm, '')}${additional('systemName', input.systemName).replace(/^ {2}/gm, '')}${additional('archive', input.archive).replace(/^ {2}/gm, '')}        </additionalElements>
      </context>
      <content>
        <additionalElements>
          <additionalElement name="archivalPeriod">
            <properties>
              <property name="startDate">
                <value>${esc(input.startDate)}</value>
              </property>
              <property name="endDate">
                <value>${esc(input.endDate)}</value>
              </property>
            </properties>
          </additionalElement>
        </additionalElements>
      </content>
    </reference>
    <dataObjects>
      <dataObject name="Noark 5-arkivuttrekk">
${render(info, 4)}        <dataObjects>
${input.objects.map(dataObject).join('')}        </dataObjects>
      </dataObject>
    </dataObjects>
  </dataset>
</addml>
`;
}
