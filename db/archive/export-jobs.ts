// Archive exports as jobs: a row per package, its tar under the exports folder, its start and its
// result as events in the organisation's chain. A job's runner writes a heartbeat as it goes; a
// running job whose heartbeat has stopped (the process ended) reads as failed and frees its
// package for a new start, so a restart never leaves a job "running" forever.
import { and, desc, eq, lt } from 'drizzle-orm';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, Store } from '../client.ts';
import { newId } from '../ids.ts';
import { appendEvent, systemActor, type Actor } from '../ledger/ledger.ts';
import { exportJobs } from '../schema.ts';
import type { WriteBatch } from '../write/write-batch.ts';
import type { Tx } from '../client.ts';
import { buildPackage } from './build-package.ts';
import type { ArchiveOrganisation } from './noark5/build-noark5.ts';
import type { ArchiveFormat } from './schema-folder.ts';

export type ExportRow = typeof exportJobs.$inferSelect;

/** A running job whose heartbeat is older than this was interrupted. */
export const staleAfterMs = 60_000;
const heartbeatEveryMs = 2_000;

export interface ExportSettings {
  schemaDir: string | undefined;
  exportsDir: string;
}

export function tarPathOf(settings: ExportSettings, id: string): string {
  return join(settings.exportsDir, `${id}.tar`);
}

export function exportView(row: ExportRow) {
  return {
    id: row.id,
    status: row.status,
    format: row.format as ArchiveFormat,
    from: row.fromAt,
    to: row.toAt,
    accountId: row.accountId || null,
    progress: { done: row.progressDone, total: row.progressTotal },
    files: row.files,
    bytes: row.bytes,
    ...(row.sha256 ? { sha256: row.sha256 } : {}),
    validation: { ok: row.status === 'done', errors: row.validationErrors },
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

export type ExportView = ReturnType<typeof exportView>;

async function chain(batch: WriteBatch, row: Pick<ExportRow, 'orgId' | 'id'>, seq: number, type: string, actor: Actor, at: string, to: string, payload: Record<string, unknown>) {
  await appendEvent(batch, { orgId: row.orgId, subject: 'export', subjectId: row.id, seq, type, actor, at, machine: 'export', from: seq === 1 ? null : 'running', to, payload });
}

async function finish(tx: Tx, batch: WriteBatch, row: ExportRow, at: string, outcome: Partial<ExportRow> & { status: 'done' | 'failed' }) {
  const done = await tx.update(exportJobs).set({ ...outcome, finishedAt: at, heartbeatAt: at })
    .where(and(eq(exportJobs.id, row.id), eq(exportJobs.status, 'running')));
  if (done.rowsAffected === 0) return false;
  const payload = outcome.status === 'done'
    ? { sha256: outcome.sha256, bytes: outcome.bytes, files: outcome.files }
    : { error: outcome.error, validationErrors: (outcome.validationErrors ?? []).length };
  await chain(batch, row, 2, outcome.status === 'done' ? 'EXPORT_DONE' : 'EXPORT_FAILED', systemActor, at, outcome.status, payload);
  return true;
}

const interrupted = 'The process that built this export stopped (a restart or a crash); start the export again.';

async function failStale(tx: Tx, batch: WriteBatch, rows: ExportRow[], now: Date) {
  for (const row of rows) {
    if (row.status === 'running' && Date.parse(row.heartbeatAt) < now.getTime() - staleAfterMs) {
      await finish(tx, batch, row, now.toISOString(), { status: 'failed', error: interrupted });
    }
  }
}

export type StartResult = { ok: true; job: ExportView } | { ok: false; code: 'conflict'; detail: string; runningId: string };

export async function startExport(
  store: Store,
  request: { orgId: string; format: ArchiveFormat; from: string; to: string; accountId?: string | undefined; actor: Actor; now: Date },
): Promise<StartResult> {
  return store.writes.run(async (tx, batch) => {
    const same = and(
      eq(exportJobs.orgId, request.orgId), eq(exportJobs.format, request.format), eq(exportJobs.fromAt, request.from),
      eq(exportJobs.toAt, request.to), eq(exportJobs.accountId, request.accountId ?? ''), eq(exportJobs.status, 'running'),
    );
    await failStale(tx, batch, await tx.select().from(exportJobs).where(same), request.now);
    const [running] = await tx.select().from(exportJobs).where(same);
    if (running) {
      return { ok: false as const, code: 'conflict' as const, detail: `Export ${running.id} is building this package now.`, runningId: running.id };
    }
    const at = request.now.toISOString();
    const row: ExportRow = {
      id: newId(request.now), orgId: request.orgId, format: request.format, fromAt: request.from, toAt: request.to,
      accountId: request.accountId ?? '', status: 'running', progressDone: 0, progressTotal: 0, files: null, bytes: null, sha256: null,
      validationErrors: [], error: null, requestedBy: request.actor.keyId, createdAt: at, heartbeatAt: at, finishedAt: null,
    };
    await tx.insert(exportJobs).values(row);
    await chain(batch, row, 1, 'EXPORT_STARTED', request.actor, at, 'running', {
      format: row.format, from: row.fromAt, to: row.toAt, accountId: row.accountId || null,
    });
    return { ok: true as const, job: exportView(row) };
  });
}

/** The job as it stands; a running job whose runner has stopped is failed here, with an event. */
export async function findExport(store: Store, orgId: string, id: string, now: Date): Promise<ExportView | null> {
  const [row] = await store.db.select().from(exportJobs).where(and(eq(exportJobs.orgId, orgId), eq(exportJobs.id, id)));
  if (!row) return null;
  if (row.status === 'running' && Date.parse(row.heartbeatAt) < now.getTime() - staleAfterMs) {
    await store.writes.run(async (tx, batch) => failStale(tx, batch, [row], now));
    return findExport(store, orgId, id, new Date(0));
  }
  return exportView(row);
}

export async function listExports(db: Db, orgId: string, limit = 20): Promise<ExportView[]> {
  const rows = await db.select().from(exportJobs).where(eq(exportJobs.orgId, orgId)).orderBy(desc(exportJobs.createdAt)).limit(limit);
  return rows.map(exportView);
}

/** The finished package's file, when there is one. */
export function packageFile(settings: ExportSettings, job: ExportView): string | null {
  const path = tarPathOf(settings, job.id);
  return job.status === 'done' && existsSync(path) ? path : null;
}

/**
 * Builds the job's package and records the outcome. Never throws: a failure of any kind ends the
 * job as failed with its reason. `clock` gives heartbeat instants.
 */
export async function runExport(store: Store, org: ArchiveOrganisation, id: string, settings: ExportSettings, clock: () => Date): Promise<void> {
  const [row] = await store.db.select().from(exportJobs).where(eq(exportJobs.id, id));
  if (!row || row.status !== 'running') return;
  let lastBeat = 0;
  const beat = async (done: number, total: number, force = false) => {
    const now = clock();
    if (!force && now.getTime() - lastBeat < heartbeatEveryMs) return;
    lastBeat = now.getTime();
    await store.writes.run((tx) => tx.update(exportJobs)
      .set({ progressDone: done, progressTotal: total, heartbeatAt: now.toISOString() })
      .where(and(eq(exportJobs.id, id), eq(exportJobs.status, 'running'))));
  };
  // Validation of one large document takes a while in its worker: the heartbeat goes on meanwhile.
  let progress = { done: 0, total: 0 };
  const timer = setInterval(() => void beat(progress.done, progress.total, true).catch(() => {}), heartbeatEveryMs * 5);
  let outcome: Partial<ExportRow> & { status: 'done' | 'failed' };
  try {
    const result = await buildPackage({
      db: store.db, org, format: row.format as ArchiveFormat, now: new Date(row.createdAt),
      range: { from: row.fromAt, to: row.toAt, accountId: row.accountId || undefined },
      schemaDir: settings.schemaDir, workDir: join(settings.exportsDir, `${id}.parts`), tarPath: tarPathOf(settings, id),
      onProgress: async (p) => {
        if (p.phase === 'writing') progress = { done: p.done, total: p.total };
        await beat(progress.done, progress.total);
      },
    });
    outcome = result.ok
      ? { status: 'done', files: result.summary.files, bytes: result.summary.bytes, sha256: result.summary.sha256, progressDone: result.summary.counts.items, progressTotal: result.summary.counts.items }
      : { status: 'failed', error: result.detail, validationErrors: 'errors' in result ? result.errors : [] };
  } catch (error) {
    outcome = { status: 'failed', error: `The export failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearInterval(timer);
  }
  const at = clock().toISOString();
  await store.writes.run((tx, batch) => finish(tx, batch, row, at, outcome));
}

/** Running jobs of every organisation whose runner stopped: failed now, so their packages can start again. */
export async function failInterruptedExports(store: Store, now: Date): Promise<number> {
  const stale = await store.db.select().from(exportJobs)
    .where(and(eq(exportJobs.status, 'running'), lt(exportJobs.heartbeatAt, new Date(now.getTime() - staleAfterMs).toISOString())));
  if (stale.length) await store.writes.run(async (tx, batch) => failStale(tx, batch, stale, now));
  return stale.length;
}
