// The served document and the server cannot drift apart unseen (issue 19): a client is generated from
// /openapi.json with openapi-typescript at test time, test/openapi-client/first-session.ts is
// type-checked against it, and then run with openapi-fetch against a real listening server: create
// and approve a channel, ingest, assess, answer, read the public register.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/processes.ts';
import { httpWorld, type HttpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const clientDir = join(repoRoot, 'test', 'openapi-client');
const driver = join(clientDir, 'first-session.ts');

type FirstSession = (baseUrl: string, slug: string, keys: Record<'admin' | 'integrator' | 'officer', string>) => Promise<{
  account: { status: string };
  item: { status: string; deadlines: string[] };
  registerHandles: string[];
  refused: { status: number; title?: string };
}>;

let t: TempDb;
let w: HttpWorld;
let server: ServerType;
let baseUrl: string;

beforeAll(async () => {
  t = await tempDb();
  w = await httpWorld(t, 'tibro');
  server = serve({ fetch: w.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  t.cleanup();
});

/** Type errors of the driver against the generated schema, with the project's compiler options. */
function typeErrors(): string[] {
  const config = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  const program = ts.createProgram([driver], { ...options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) =>
    `${d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('a client generated from the served document', () => {
  it('type-checks an integrator\'s first session and runs it against the server', async () => {
    const document = await (await fetch(`${baseUrl}/openapi.json`)).json();
    const schema = astToString(await openapiTS(document));
    expect(schema).toContain('postItemEvent');
    mkdirSync(join(clientDir, 'generated'), { recursive: true });
    writeFileSync(join(clientDir, 'generated', 'schema.ts'), schema);

    const errors = typeErrors();
    expect(errors, errors.join('\n')).toEqual([]);

    // Imported by URL so that the project's own type check does not follow it into the generated folder.
    const { firstSession } = (await import(pathToFileURL(driver).href)) as { firstSession: FirstSession };
    const result = await firstSession(baseUrl, 'tibro', {
      admin: w.keys.admin.key, integrator: w.keys.integrator.key, officer: w.keys.officer.key,
    });
    expect(result.account.status).toBe('active');
    expect(result.item.status).toBe('answered');
    expect(result.item.deadlines).toEqual(expect.arrayContaining(['answer:met']));
    expect(result.registerHandles).toContain('generated-client');
    expect(result.refused).toEqual({ status: 403, title: expect.any(String) });
  }, 120_000);
});
