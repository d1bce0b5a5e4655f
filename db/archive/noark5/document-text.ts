// The archival copy of an item and of its evidence: UTF-8 text (an archival format that needs no
// conversion), readable without Diarium.
import type { ArchiveChannel, ArchiveDocument, ArchiveItem } from '../archive-source.ts';
import { channelTitle, kindLabel } from './labels.ts';

export function itemText(item: ArchiveItem, channel: ArchiveChannel): string {
  const content = item.content!;
  const author = [content.author.name, content.author.handle ? `@${content.author.handle}` : null].filter(Boolean).join(' ');
  const lines = [
    `Kanal: ${channelTitle(channel)}`,
    `Type: ${kindLabel(item.kind)} (${item.direction === 'inbound' ? 'inngående' : 'utgående'})`,
    `Mottatt: ${item.receivedAt}`,
    `Forfatter: ${author || 'ukjent'}`,
    ...(content.url ? [`Lenke: ${content.url}`] : []),
    `Ekstern id: ${item.externalId}`,
    `Diarium-id: ${item.id}`,
    '',
    content.text,
  ];
  return `${lines.join('\n')}\n`;
}

const roles: Record<string, string> = { evidence: 'Bevis sikret før fjerning', event: 'Tekst fra saksbehandlingen' };

export function documentTitle(doc: ArchiveDocument): string {
  return roles[doc.role] ?? 'Vedlegg';
}

export function documentText(doc: ArchiveDocument): string {
  return `${documentTitle(doc)}\nSikret: ${doc.createdAt}\nSHA-256 i hendelsesloggen: ${doc.hash}\n\n${JSON.stringify(doc.body, null, 2)}\n`;
}
