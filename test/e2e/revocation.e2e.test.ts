// Revocation across processes (issue 7, point 4): `diarium keys revoke` in its own process while
// the server runs. The server takes the holder of its bulk writes (ingest, item events) from
// memory and checks revocation inside each write's transaction, so the very next request with
// the key is refused — a write as much as a read — and nothing it sent is written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAccount } from '../helpers/fixtures.ts';
import { diarium, startServer, type RunningServer } from '../helpers/processes.ts';

describe('a key revoked with the CLI while the server runs', () => {
  let dir: string;
  let url: string;
  let server: RunningServer;

  const http = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as any };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-revoke-'));
    url = `file:${join(dir, 'revoke.db')}`;
    server = await startServer(url, { SCHEDULES: 'off' });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses its next write and read at once, and writes nothing it sent', async () => {
    const admin = String(server.lines.find((line) => line.org === 'tibro')!.key);
    const made = await diarium(['keys', 'add', '--org', 'tibro', '--role', 'integrator'], url);
    expect(made.code, made.stderr).toBe(0);
    const integrator = JSON.parse(made.stdout) as { id: string; key: string };
    const account = await http('POST', '/v1/accounts', admin, completeAccount);
    expect((await http('POST', `/v1/accounts/${account.json.id}/events`, admin, { type: 'APPROVE' })).status).toBe(200);
    const item = (n: number) => ({
      accountId: account.json.id, externalId: `revoke-${n}`, kind: 'comment', direction: 'inbound', author: { handle: 'r' }, text: 'Hello',
    });
    // Used once, so the server holds the key's holder in memory.
    expect((await http('POST', '/v1/items', integrator.key, item(1))).status).toBe(201);

    const revoked = await diarium(['keys', 'revoke', integrator.id], url);
    expect(revoked.code, revoked.stderr).toBe(0);

    const write = await http('POST', '/v1/items', integrator.key, item(2));
    expect(write.status).toBe(401);
    expect(write.json).toMatchObject({ status: 401, detail: 'The API key is not valid.' });
    expect((await http('GET', '/v1/items', integrator.key)).status).toBe(401);
    const listed = await http('GET', '/v1/items', admin);
    expect(listed.json.items.map((i: { externalId: string }) => i.externalId)).toEqual(['revoke-1']);
    // Revoking twice is a usage error, not a silent success.
    expect((await diarium(['keys', 'revoke', integrator.id], url)).code).not.toBe(0);
  });
});
