// Norwegian names for what Diarium records, as an archivist reads them in a Noark 5 package.
import type { ArchiveChannel, ArchiveItem } from '../archive-source.ts';

const platforms: Record<string, string> = {
  facebook: 'Facebook', instagram: 'Instagram', x: 'X', linkedin: 'LinkedIn', youtube: 'YouTube', tiktok: 'TikTok', other: 'Annen kanal',
};

const kinds: Record<string, string> = {
  post: 'Innlegg', comment: 'Kommentar', reply: 'Svar', mention: 'Omtale', direct_message: 'Direktemelding',
};

export function channelTitle(channel: ArchiveChannel): string {
  return `${platforms[channel.platform] ?? channel.platform} @${channel.handle}`;
}

export function channelKey(channel: ArchiveChannel): string {
  return `${channel.platform}-${channel.handle}`;
}

export function kindLabel(kind: string): string {
  return kinds[kind] ?? 'Innslag';
}

export function authorName(item: ArchiveItem): string {
  const author = item.content?.author;
  return author?.name || (author?.handle ? `@${author.handle}` : 'Ukjent avsender');
}

/** Personal data that the public journal masks: direct messages and items assessed as secret. */
export function isRestricted(item: Pick<ArchiveItem, 'kind' | 'categories'>): boolean {
  return item.kind === 'direct_message' || item.categories.includes('secret');
}

export const masked = '*****';

export function itemTitle(item: ArchiveItem, channel: ArchiveChannel, author: string): string {
  const where = `på ${channelTitle(channel)}`;
  return item.direction === 'inbound' ? `${kindLabel(item.kind)} fra ${author} ${where}` : `${kindLabel(item.kind)} publisert ${where}`;
}
