// A page of GET /v1/items answered from a thread other than the request's: listItemsJson's text as
// UTF-8 bytes, moved to the request's thread without a copy, so no string of the page lives in
// either heap longer than it takes to encode it (db/items/list-reader.ts says why).
import type { Db } from '../client.ts';
import { listItemsJson, type ItemQuery } from './items.ts';

/** What the request's thread sends: the query with its instant as ISO text. */
export interface PageAsked {
  id: number;
  orgId: string;
  query: Omit<ItemQuery, 'now'> & { now: string };
}

export type PageAnswered = { id: number; body: Uint8Array } | { id: number; error: string };

export function pageAsked(id: number, orgId: string, query: ItemQuery): PageAsked {
  return { id, orgId, query: { ...query, now: query.now.toISOString() } };
}

/** The page asked, read with `db`, and what to transfer with the answer. */
export async function answerPage(db: Db, { id, orgId, query }: PageAsked): Promise<{ answer: PageAnswered; transfer: ArrayBuffer[] }> {
  try {
    const bytes = Buffer.from(await listItemsJson(db, orgId, { ...query, now: new Date(query.now) }));
    const body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // A small Buffer is a slice of Node's shared pool, which must not move: then it is copied.
    const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
    return { answer: { id, body }, transfer: own ? [bytes.buffer as ArrayBuffer] : [] };
  } catch (error) {
    return { answer: { id, error: error instanceof Error ? error.message : String(error) }, transfer: [] };
  }
}
