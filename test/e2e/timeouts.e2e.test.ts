// A slow client cannot hold the server: one that never finishes its headers is answered 408
// (problem+json) and cut off near HEADERS_TIMEOUT_MS, while other clients are served meanwhile.
// And a body over the limit is refused over a real socket, whether its size is declared or chunked.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/processes.ts';

describe('header and request timeouts, and body size, on a real socket', () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-timeouts-'));
    server = await startServer(`file:${join(dir, 't.db')}`, { SCHEDULES: 'off', HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000' });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 408 and closes a connection whose headers never end, and serves others meanwhile', async () => {
    const { port } = new URL(server.baseUrl);
    const started = Date.now();
    const outcome = new Promise<{ data: string; after: number }>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '));
      let data = '';
      socket.on('data', (chunk) => (data += String(chunk)));
      socket.on('close', () => resolve({ data, after: Date.now() - started }));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('the slow connection was still open after 10 s')), 10_000);
    });
    // While the slow client waits, a normal request is answered at once.
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
    const { data, after } = await outcome;
    expect(data).toMatch(/^HTTP\/1\.1 408/);
    expect(data).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    expect(JSON.parse(data.slice(data.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408 });
    expect(after).toBeGreaterThanOrEqual(900);
    expect(after).toBeLessThan(6_000);
  });

  it('answers 413 problem+json to a JSON body over 1 MiB, declared by Content-Length or chunked', async () => {
    const key = String(server.lines.find((line) => line.org === 'tibro')!.key);
    const big = JSON.stringify({ accountId: 'x', externalId: 'y', kind: 'comment', direction: 'inbound', author: { handle: 'h' }, text: 'a'.repeat(1_100_000) });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const declared = await fetch(`${server.baseUrl}/v1/items`, { method: 'POST', headers, body: big });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // A stream has no length up front: fetch sends it chunked, and the limit counts it as it comes.
    const chunked = await fetch(`${server.baseUrl}/v1/items`, {
      method: 'POST', headers, body: new Blob([big]).stream(), duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(chunked.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
