// Requests Node's HTTP parser refuses before Hono sees them still get application/problem+json,
// over a real socket to `npm start`: headers over Node's limit (431), a request line that is not
// HTTP (400). The connection closes after the answer, and the server goes on serving.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/processes.ts';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` as is and reads until the server closes the connection. */
function raw(baseUrl: string, request: string): Promise<RawAnswer> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => (data += String(chunk)));
    socket.on('error', reject);
    const timer = setTimeout(() => reject(new Error(`the connection was still open after 5 s: ${data}`)), 5_000);
    socket.on('close', () => {
      clearTimeout(timer);
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0), headers, body });
    });
  });
}

describe('problem+json for requests the HTTP parser refuses', () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-client-errors-'));
    server = await startServer(`file:${join(dir, 't.db')}`, { SCHEDULES: 'off' });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function expectProblem(answer: RawAnswer, status: number) {
    expect(answer.status, JSON.stringify(answer)).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers.connection).toBe('close');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
    const body = JSON.parse(answer.body);
    expect(Object.keys(body).sort()).toEqual(['detail', 'status', 'title', 'type']);
    expect(body).toMatchObject({ status, type: expect.stringContaining(String(status)), title: expect.any(String), detail: expect.any(String) });
    return body;
  }

  it('answers 431 to headers larger than Node accepts', async () => {
    const answer = await raw(server.baseUrl, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(expectProblem(answer, 431).detail).toMatch(/headers/);
  });

  it('answers 400 to a request line that is not HTTP', async () => {
    expectProblem(await raw(server.baseUrl, 'THIS IS NOT HTTP\r\n\r\n'), 400);
    expectProblem(await raw(server.baseUrl, 'GET /health HTTP/1.1\r\nHost x\r\n\r\n'), 400);
  });

  it('goes on serving after refusing them', async () => {
    await raw(server.baseUrl, '\x00\x01\x02 garbage\r\n\r\n');
    const health = await fetch(`${server.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
  });
});
