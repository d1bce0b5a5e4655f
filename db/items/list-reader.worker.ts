// The list reader's thread (list-reader.ts): a client of its own on the same database, answering
// each page asked of it with listItemsJson's text, or the message of what went wrong.
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { parentPort, workerData } from 'node:worker_threads';
import { keepStatements } from '../kept-statements.ts';
import { busyTimeoutMs } from '../write/write-lock.ts';
import { listItemsJson } from './items.ts';
import type { PageAsked } from './list-reader.ts';

const { url, authToken } = workerData as { url: string; authToken?: string | undefined };
keepStatements();
const db = drizzle(createClient({ url, authToken, timeout: busyTimeoutMs }));

parentPort!.on('message', ({ id, orgId, query }: PageAsked) => {
  listItemsJson(db, orgId, { ...query, now: new Date(query.now) }).then(
    (json) => {
      const bytes = Buffer.from(json);
      // The bytes move to the request's thread without a copy, and no string of the page lives in its heap.
      const body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      parentPort!.postMessage({ id, body }, bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? [bytes.buffer] : []);
    },
    (error: unknown) => parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
