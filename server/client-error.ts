// Requests Node's HTTP parser refuses before Hono sees them (headers too large, a malformed request
// line, headers or a request not sent in time) still get application/problem+json: the server's
// `clientError` event, answered as Node would answer it, with a problem body. No app or database here.
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { problemBody } from './problem.ts';

const reasons: Record<number, { phrase: string; detail: string }> = {
  400: { phrase: 'Bad Request', detail: 'The request could not be parsed as HTTP/1.1.' },
  408: { phrase: 'Request Timeout', detail: 'The request was not received in time.' },
  413: { phrase: 'Payload Too Large', detail: 'A chunk extension of the body is too large.' },
  431: { phrase: 'Request Header Fields Too Large', detail: 'The request headers are too large.' },
};

/** The status Node itself would answer for the parser's error code. */
export function clientErrorStatus(code: string | undefined): 400 | 408 | 413 | 431 {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    default:
      return 400;
  }
}

/** The whole raw response; the connection closes after it, since the parser cannot go on. */
export function clientErrorResponse(status: 400 | 408 | 413 | 431): string {
  const { phrase, detail } = reasons[status]!;
  const body = JSON.stringify(problemBody(status, detail));
  return [
    `HTTP/1.1 ${status} ${phrase}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** `server` is the node:http server @hono/node-server listens with. */
export function answerClientErrors(server: EventEmitter) {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } | null }) => {
    // A peer that reset or already left hears nothing; a response begun on this socket is not
    // interrupted by a second status line (as Node itself does).
    const answerable = error.code !== 'ECONNRESET' && !socket.destroyed && socket.writable && !socket._httpMessage?.headersSent;
    if (!answerable) return void socket.destroy();
    // Destroyed once written: the server's sockets are half-open, and a client that never closes
    // its side must not hold this one.
    socket.end(clientErrorResponse(clientErrorStatus(error.code)), () => socket.destroy());
  });
}
