// The list reader's thread (list-reader.ts): a client of its own on the same database, answering
// each page asked of it with listItemsJson's text, or the message of what went wrong.
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { parentPort, workerData } from 'node:worker_threads';
import { keepStatements } from '../kept-statements.ts';
import { busyTimeoutMs } from '../write/write-lock.ts';
import { answerPage, type PageAsked } from './page-bytes.ts';

const { url, authToken } = workerData as { url: string; authToken?: string | undefined };
keepStatements();
const db = drizzle(createClient({ url, authToken, timeout: busyTimeoutMs }));

parentPort!.on('message', (asked: PageAsked) => {
  void answerPage(db, asked).then(({ answer, transfer }) => parentPort!.postMessage(answer, transfer));
});
