// What the main thread and the write worker say to each other. Commands and replies travel in
// batches, one message per turn of the sender's event loop: a group commit's answers cross in one.
// A page of the items list travels alone, as bytes (db/items/page-bytes.ts).
import type { PageAnswered, PageAsked } from '../../items/page-bytes.ts';

export interface CommandMessage {
  id: number;
  name: string;
  arg: unknown;
}

/** An error thrown in the worker, as plain data: enough to log it and to tell SQLite's busy error (write-lock.ts). */
export interface ErrorData {
  name: string;
  message: string;
  code?: string | undefined;
  stack?: string | undefined;
}

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorData };

/** `close`: answer what was sent, close the connection and end the thread. */
export type ToWorker = { commands: CommandMessage[] } | { page: PageAsked } | { close: true };
/**
 * `replies`: a Reply[] as JSON text. The answers are JSON data (they become response bodies), and
 * a string crosses threads as one copy, where structured clone walks every field of every answer
 * on both sides, in the worker's serialized time.
 */
export type FromWorker = { ready: true } | { failed: ErrorData } | { replies: string } | { page: PageAnswered };

export function errorData(error: unknown): ErrorData {
  const e = error instanceof Error ? error : new Error(String(error));
  // Drizzle wraps the driver's error: the code that matters is the cause's.
  let code: unknown;
  for (let c: unknown = e; c && code === undefined; c = (c as { cause?: unknown }).cause) code = (c as { code?: unknown }).code;
  return { name: e.name, message: e.message, code: typeof code === 'string' ? code : undefined, stack: e.stack };
}

/** Sends what is queued once per turn of the event loop. */
export function batcher<T>(send: (items: T[]) => void): (item: T) => void {
  let queued: T[] = [];
  const flush = () => {
    const items = queued;
    queued = [];
    send(items);
  };
  return (item) => {
    if (queued.push(item) === 1) setImmediate(flush);
  };
}
