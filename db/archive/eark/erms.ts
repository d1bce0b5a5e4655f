// CITS ERMS v3 (data/erms.xml), pure: channels as class aggregations, cases and channel years as
// case files, registered items as records with their files as appendices, thinned items as
// records that hold only their disposal (no content, no author).
import type { ArchiveChannel, ArchiveItem } from '../archive-source.ts';
import { systemId } from '../system-id.ts';
import { el, esc, xmlDeclaration } from '../xml.ts';

const platforms: Record<string, string> = {
  facebook: 'Facebook', instagram: 'Instagram', x: 'X', linkedin: 'LinkedIn', youtube: 'YouTube', tiktok: 'TikTok', other: 'Annan kanal',
};
const kinds: Record<string, string> = {
  post: 'Inlägg', comment: 'Kommentar', reply: 'Svar', mention: 'Omnämnande', direct_message: 'Direktmeddelande',
};

export function channelName(channel: ArchiveChannel): string {
  return `${platforms[channel.platform] ?? channel.platform} @${channel.handle}`;
}

export function kindName(kind: string): string {
  return kinds[kind] ?? 'Inslag';
}

export function restricted(item: Pick<ArchiveItem, 'kind' | 'categories'>): boolean {
  return item.kind === 'direct_message' || item.categories.includes('secret');
}

export function ermsStart(org: { name: string }, exportId: string, at: string): string {
  return `${xmlDeclaration}<erms xmlns="https://DILCIS.eu/XML/ERMS">
  <control>
    <identification identificationType="exportId">${esc(exportId)}</identification>
    <maintenanceInformation>
      <maintenanceStatus value="new"/>
      <maintenanceAgency>
        <agencyName>${esc(org.name)}</agencyName>
      </maintenanceAgency>
      <maintenanceHistory>
        <maintenanceEvent>
          <eventType value="created"/>
          <eventDateTime>${esc(at)}</eventDateTime>
          <agent agentType="creator"><name>Diarium</name></agent>
        </maintenanceEvent>
      </maintenanceHistory>
    </maintenanceInformation>
  </control>
  <aggregations>
`;
}

export const ermsEnd = '  </aggregations>\n</erms>\n';

export function classStart(channel: ArchiveChannel): string {
  return `    <aggregation systemIdentifier="${systemId('klasse', channel.id)}" aggregationType="class">\n`
    + el('objectId', `${channel.platform}-${channel.handle}`, '      ') + el('title', channelName(channel), '      ');
}

export const classEnd = '    </aggregation>\n';

export function fileStart(id: string, objectId: string, title: string, kind: 'case' | 'channel' | 'thinned'): string {
  return `      <aggregation systemIdentifier="${id}" aggregationType="${kind === 'case' ? 'caseFile' : 'file'}">\n`
    + el('objectId', objectId, '        ') + el('title', title, '        ');
}

export const fileEnd = '      </aggregation>\n';

export interface Appendix {
  name: string;
  /** Path from the package root. */
  path: string;
}

export function recordXml(item: ArchiveItem, channel: ArchiveChannel, appendices: Appendix[]): string {
  const i = '          ';
  const author = item.content?.author;
  const authorName = author?.name || (author?.handle ? `@${author.handle}` : 'Okänd');
  const registered = item.registered!;
  const title = item.direction === 'inbound'
    ? `${kindName(item.kind)} från ${authorName} på ${channelName(channel)}`
    : `${kindName(item.kind)} publicerat på ${channelName(channel)}`;
  return `        <record systemIdentifier="${systemId('journalpost', item.id)}" recordType="${esc(item.kind)}">\n`
    + el('objectId', registered.number, i)
    + el('title', title, i)
    + (restricted(item)
      ? `${i}<restriction restrictionType="confidential">\n${el('regulation', 'Offentlighets- och sekretesslagen (2009:400)', `${i}  `)}${i}</restriction>\n`
      : '')
    + `${i}<direction directionDefinition="${item.direction === 'inbound' ? 'incoming' : 'outgoing'}"/>\n`
    + `${i}<agents>\n${i}  <agent agentType="${item.direction === 'inbound' ? 'counterpart' : 'creator'}">\n${el('name', authorName, `${i}    `)}${el('role', item.direction === 'inbound' ? 'avsändare' : 'upphovsman', `${i}    `)}${i}  </agent>\n${i}</agents>\n`
    + `${i}<dates>\n${i}  <date dateType="created">${esc(item.receivedAt)}</date>\n${i}  <date dateType="archived">${esc(registered.at)}</date>\n${i}</dates>\n`
    + (appendices.length
      ? `${i}<additionalInformation>\n${appendices.map((a) => `${i}  <appendix name="${esc(a.name)}" path="${esc(a.path)}" fileFormat="x-fmt/111"/>\n`).join('')}${i}</additionalInformation>\n`
      : '')
    + '        </record>\n';
}

/** A thinned item: that it existed and was destroyed, when and under which rule; nothing it said or who said it. */
export function disposedRecordXml(item: ArchiveItem): string {
  const i = '          ';
  const thinned = item.thinned!;
  return `        <record systemIdentifier="${systemId('registrering', item.id)}" recordType="${esc(item.kind)}">\n`
    + el('objectId', systemId('registrering', item.id), i)
    + el('title', `${kindName(item.kind)} (${item.direction === 'inbound' ? 'inkommande' : 'utgående'}), gallrad`, i)
    + `${i}<disposal disposable="true">\n`
    + el('disposalAction', 'destroy', `${i}  `)
    + el('disposalMandate', thinned.rule, `${i}  `)
    + `${i}  <dates>\n${i}    <disposalDate dateType="applied">${esc(thinned.at)}</disposalDate>\n${i}  </dates>\n`
    + `${i}</disposal>\n`
    + `${i}<direction directionDefinition="${item.direction === 'inbound' ? 'incoming' : 'outgoing'}"/>\n`
    + `${i}<dates>\n${i}  <date dateType="created">${esc(item.receivedAt)}</date>\n${i}</dates>\n`
    + '        </record>\n';
}
