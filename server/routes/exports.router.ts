// Archive exports over HTTP: a POST starts a job that runs beside the requests (it yields to the
// event loop between pages and validates in a worker), GET reads it, and the package downloads
// as a stream.
import { OpenAPIHono } from '@hono/zod-openapi';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { archiveOrganisation } from '../../db/archive/archive-organisation.ts';
import { checkRange } from '../../db/archive/export-range.ts';
import { findExport, packageFile, runExport, startExport, type ExportSettings } from '../../db/archive/export-jobs.ts';
import { checkSchemaFolder } from '../../db/archive/schema-folder.ts';
import { findAccount } from '../../db/accounts/accounts.ts';
import { findOrganisation } from '../../db/organisations.ts';
import { roleRefusal } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { problem } from '../problem.ts';
import { validationHook } from '../validation.ts';
import { exportPackageRoute, getExportRoute, startExportRoute } from './exports.contract.ts';

export const defaultExportSettings: ExportSettings = { schemaDir: undefined, exportsDir: 'data/exports' };

export const exportsRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const roles = ['auditor', 'admin'];

exportsRouter.openapi(startExportRoute, async (c) => {
  const refused = roleRefusal(c, roles);
  if (refused) return refused;
  const { deps, holder } = c.var;
  const settings = deps.archive ?? defaultExportSettings;
  const body = c.req.valid('json');
  const range = checkRange(body.from, body.to);
  if (!range.ok) return problem(c, 400, range.detail, { errors: [{ path: 'from', message: range.detail }] });
  if (body.accountId && !(await findAccount(deps.store.db, holder.orgId, body.accountId))) {
    return problem(c, 400, 'No such account in this organisation.', { errors: [{ path: 'accountId', message: 'unknown account' }] });
  }
  const schemas = checkSchemaFolder(settings.schemaDir, body.format);
  if (!schemas.ok) return problem(c, 409, schemas.detail);
  const org = await findOrganisation(deps.store.db, holder.orgId);
  if (!org) return problem(c, 404, 'Organisation not found.');
  const started = await startExport(deps.store, {
    orgId: holder.orgId, format: body.format, from: range.from, to: range.to, accountId: body.accountId,
    actor: { keyId: holder.keyId, role: holder.role }, now: deps.clock(),
  });
  if (!started.ok) return problem(c, 409, started.detail);
  // Runs after the answer; its outcome is the job's row and its event in the chain.
  void runExport(deps.store, archiveOrganisation(org), started.job.id, settings, deps.clock);
  return c.json(started.job, 202);
});

exportsRouter.openapi(getExportRoute, async (c) => {
  const refused = roleRefusal(c, roles);
  if (refused) return refused;
  const job = await findExport(c.var.deps.store, c.var.holder.orgId, c.req.valid('param').id, c.var.deps.clock());
  if (!job) return problem(c, 404, 'Export not found.');
  return c.json(job, 200);
});

exportsRouter.openapi(exportPackageRoute, async (c) => {
  const refused = roleRefusal(c, roles);
  if (refused) return refused;
  const { deps, holder } = c.var;
  const job = await findExport(deps.store, holder.orgId, c.req.valid('param').id, deps.clock());
  if (!job) return problem(c, 404, 'Export not found.');
  const path = packageFile(deps.archive ?? defaultExportSettings, job);
  if (!path || !job.sha256 || job.bytes === null) return problem(c, 409, `The export is ${job.status}; only a done export has a package.`);
  const stream = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream;
  return c.body(stream, 200, {
    'Content-Type': 'application/x-tar',
    'Content-Length': String(job.bytes),
    'Content-Disposition': `attachment; filename="${job.format}-${job.id}.tar"`,
    'X-Checksum-SHA256': job.sha256,
    'Repr-Digest': `sha-256=:${Buffer.from(job.sha256, 'hex').toString('base64')}:`,
  }) as never;
});
