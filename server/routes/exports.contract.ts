// The archive exports' HTTP contract (API.md "Additions"): start a package job, read its state,
// download its tar.
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, idParam, isoInstant, json, jsonBody, problemResponse } from './schemas.ts';
import { exportExamples } from './examples.ts';

export const exportRequest = z.object({
  format: z.enum(['noark5', 'eark-sip']).openapi({ description: 'noark5: Noark 5 arkivuttrekk; eark-sip: E-ARK SIP with CITS ERMS v3' }),
  from: isoInstant,
  to: isoInstant,
  accountId: z.string().min(1).max(64).optional(),
}).strict().openapi('ExportRequest');

export const exportJob = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  format: z.enum(['noark5', 'eark-sip']),
  from: z.string(),
  to: z.string(),
  accountId: z.string().nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  files: z.number().int().nullable(),
  bytes: z.number().int().nullable(),
  sha256: z.string().optional(),
  validation: z.object({ ok: z.boolean(), errors: z.array(z.object({ file: z.string(), message: z.string() })) }),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
}).openapi('ExportJob');

export const startExportRoute = createRoute({
  method: 'post',
  path: '/v1/exports',
  operationId: 'startExport',
  tags: ['exports'],
  summary: 'Start an archive export of a period (auditor, admin)',
  description: 'Builds a Noark 5 or E-ARK SIP package in the background; poll the job for its progress.',
  request: { body: jsonBody(exportRequest, exportExamples) },
  responses: {
    202: json(exportJob, 'The job, running'),
    ...errorResponses,
    409: problemResponse('The same package is being built now, or the official archive schemas are not configured (ARCHIVE_SCHEMAS)'),
  },
});

export const getExportRoute = createRoute({
  method: 'get',
  path: '/v1/exports/{id}',
  operationId: 'getExport',
  tags: ['exports'],
  summary: 'An archive export job: status, progress, validation (auditor, admin)',
  description: 'The job as it stands; a job whose server stopped while it ran reads as failed.',
  request: { params: idParam },
  responses: { 200: json(exportJob, 'The job'), ...errorResponses },
});

export const exportPackageRoute = createRoute({
  method: 'get',
  path: '/v1/exports/{id}/package',
  operationId: 'getExportPackage',
  tags: ['exports'],
  summary: 'Download a finished export as one tar (auditor, admin)',
  description: 'The package as application/x-tar, with its SHA-256 in the X-Checksum-SHA256 and Repr-Digest headers.',
  request: { params: idParam },
  responses: {
    200: { description: 'The package', content: { 'application/x-tar': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...errorResponses,
    409: problemResponse('The export is not done'),
  },
});
