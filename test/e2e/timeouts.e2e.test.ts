// A slow client cannot hold the server: one that never finishes its headers is answered 408 and
// cut off near HEADERS_TIMEOUT_MS, while other clients are served meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/processes.ts';

describe('header and request timeouts', () => {
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
    expect(after).toBeGreaterThanOrEqual(900);
    expect(after).toBeLessThan(6_000);
  });
});
