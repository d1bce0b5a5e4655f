// Reads the start tags and leaf values of an XML file in one pass over a stream, for checks that
// need a few elements of documents too large to parse whole (verify-package.ts). Not a parser:
// validation against the schema is what proves well-formedness; this only finds values.
import { createReadStream } from 'node:fs';

export type XmlToken = { kind: 'start'; name: string; attributes: string } | { kind: 'leaf'; name: string; value: string };

const token = /<([A-Za-z][\w:.-]*)((?:\s[^>]*?)?)(\/?)>(?:([^<]*)<\/\1>)?/g;

function unescape(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}

function local(name: string): string {
  const cut = name.indexOf(':');
  return cut < 0 ? name : name.slice(cut + 1);
}

/** Calls `onToken` for every start tag and every element that holds only text, in document order. */
export async function scanXml(path: string, onToken: (token: XmlToken) => void): Promise<void> {
  let carry = '';
  const emit = (text: string) => {
    for (const match of text.matchAll(token)) {
      const name = local(match[1]!);
      if (match[4] !== undefined) onToken({ kind: 'leaf', name, value: unescape(match[4]) });
      else onToken({ kind: 'start', name, attributes: match[2] ?? '' });
    }
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    carry += chunk as string;
    // Lines end between elements in the documents this reads; a leaf is never cut in two.
    const cut = carry.lastIndexOf('>\n');
    if (cut < 0) continue;
    emit(carry.slice(0, cut + 1));
    carry = carry.slice(cut + 1);
  }
  emit(carry);
}
