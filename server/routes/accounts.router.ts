// Accounts over HTTP: propose, amend, step, read, history, replay, snapshot files; and the public
// channel register. Roles per event come from the one table in machines/account.events.ts.
import { OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { accountView, amendAccount, applyAccountEvent, createAccount, findAccount, type AccountRow } from '../../db/accounts/accounts.ts';
import { listChannels } from '../../db/accounts/channels.ts';
import { subjectHistory } from '../../db/ledger/ledger.ts';
import { findOrganisation, findOrganisationBySlug, policyOf } from '../../db/organisations.ts';
import { replayAccount } from '../../db/ledger/replay.ts';
import { accounts } from '../../db/schema.ts';
import {
  detectSnapshotFormat, findSnapshotFile, listSnapshotFiles, snapshotView, uploadSnapshot,
} from '../../db/accounts/snapshot-files.ts';
import { accountEventRoles, mayStepAccount } from '../../machines/account.events.ts';
import { roleRefusal } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { renderChannelRegister } from '../pages/channel-register.ts';
import { failureResponse, problem } from '../problem.ts';
import { validationHook } from '../validation.ts';
import {
  accountEventRoute, accountHistoryRoute, accountReplayRoute, amendAccountRoute, channelsRoute, createAccountRoute,
  getAccountRoute, getSnapshotRoute, listAccountsRoute, listSnapshotsRoute, snapshotMediaTypes,
  uploadSnapshotRoute,
} from './accounts.contract.ts';
import { malformedIfMatch, parseIfMatch } from './if-match.ts';
import { historyEntry } from './items.router.ts';
import { latestCheckpoint } from '../../db/ledger/checkpoints.ts';

export const accountsRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

function sendAccount<S extends 200 | 201>(c: Context<AppEnv>, row: AccountRow, status: S) {
  return c.json(accountView(row), status, { ETag: `"${row.version}"` });
}

const actorOf = (c: Context<AppEnv>) => ({ keyId: c.var.holder.keyId, role: c.var.holder.role });

async function policyFor(c: Context<AppEnv>) {
  const org = await findOrganisation(c.var.deps.store.db, c.var.holder.orgId);
  // The key's organisation exists while the key does: its absence is a broken database, not a client error.
  if (!org) throw new Error(`organisation ${c.var.holder.orgId} of key ${c.var.holder.keyId} does not exist`);
  return policyOf(org);
}

accountsRouter.openapi(createAccountRoute, async (c) => {
  const refused = roleRefusal(c, ['admin']);
  if (refused) return refused;
  const row = await createAccount(c.var.deps.store, {
    orgId: c.var.holder.orgId, policy: await policyFor(c), actor: actorOf(c), account: c.req.valid('json'), now: c.var.deps.clock(),
  });
  return sendAccount(c, row, 201);
});

accountsRouter.openapi(listAccountsRoute, async (c) => {
  const { status } = c.req.valid('query');
  const rows = await c.var.deps.store.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.orgId, c.var.holder.orgId), status ? eq(accounts.status, status) : undefined))
    .orderBy(desc(accounts.id))
    .limit(1_000);
  return c.json({ accounts: rows.map(accountView) }, 200);
});

accountsRouter.openapi(getAccountRoute, async (c) => {
  const row = await findAccount(c.var.deps.store.db, c.var.holder.orgId, c.req.valid('param').id);
  if (!row) return problem(c, 404, 'Account not found.');
  return sendAccount(c, row, 200);
});

accountsRouter.openapi(amendAccountRoute, async (c) => {
  const refused = roleRefusal(c, accountEventRoles.AMEND);
  if (refused) return refused;
  const ifMatch = parseIfMatch(c.req.valid('header')['if-match']);
  if (ifMatch === 'invalid') return malformedIfMatch(c);
  const result = await amendAccount(c.var.deps.store, {
    orgId: c.var.holder.orgId, accountId: c.req.valid('param').id, actor: actorOf(c), changes: c.req.valid('json'), ifMatch,
    now: c.var.deps.clock(),
  });
  if (!result.ok) return failureResponse(c, result);
  return sendAccount(c, result.account, 200);
});

accountsRouter.openapi(accountEventRoute, async (c) => {
  const event = c.req.valid('json');
  if (!mayStepAccount(c.var.holder.role, event.type)) {
    return problem(c, 403, `The role ${c.var.holder.role} may not send ${event.type}; allowed: ${accountEventRoles[event.type].join(', ')}.`);
  }
  const ifMatch = parseIfMatch(c.req.valid('header')['if-match']);
  if (ifMatch === 'invalid') return malformedIfMatch(c);
  const result = await applyAccountEvent(c.var.deps.store, {
    orgId: c.var.holder.orgId, policy: await policyFor(c), accountId: c.req.valid('param').id, actor: actorOf(c), event, ifMatch,
    now: c.var.deps.clock(),
  });
  if (!result.ok) return failureResponse(c, result);
  return sendAccount(c, result.account, 200);
});

accountsRouter.openapi(accountHistoryRoute, async (c) => {
  const { db } = c.var.deps.store;
  const id = c.req.valid('param').id;
  if (!(await findAccount(db, c.var.holder.orgId, id))) return problem(c, 404, 'Account not found.');
  return c.json({ events: (await subjectHistory(db, c.var.holder.orgId, id)).map(historyEntry) }, 200);
});

accountsRouter.openapi(accountReplayRoute, async (c) => {
  const { at } = c.req.valid('query');
  const result = await replayAccount(c.var.deps.store.db, c.var.holder.orgId, c.req.valid('param').id, at ? new Date(at) : c.var.deps.clock());
  if (!result) return problem(c, 404, 'Account not found.');
  return c.json(result, 200);
});

accountsRouter.openapi(uploadSnapshotRoute, async (c) => {
  const refused = roleRefusal(c, accountEventRoles.SNAPSHOT);
  if (refused) return refused;
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!Object.hasOwn(snapshotMediaTypes, mediaType)) return problem(c, 415, 'Send the snapshot as application/pdf or image/png.');
  const bytes = Buffer.from(await c.req.arrayBuffer());
  if (bytes.length === 0) return problem(c, 400, 'The snapshot file is empty.');
  const format = detectSnapshotFormat(bytes);
  if (format === null || snapshotMediaTypes[mediaType as keyof typeof snapshotMediaTypes] !== (format === 'png' ? 'png' : 'pdf')) {
    return problem(c, 415, `The body is not a ${mediaType} file.`);
  }
  const ifMatch = parseIfMatch(c.req.header('if-match'));
  if (ifMatch === 'invalid') return malformedIfMatch(c);
  const query = c.req.valid('query');
  const now = c.var.deps.clock();
  const takenAt = query.takenAt ? new Date(query.takenAt) : now;
  if (takenAt > now) return problem(c, 400, 'takenAt is in the future.', { errors: [{ path: 'query.takenAt', message: 'in the future' }] });
  const result = await uploadSnapshot(c.var.deps.store, {
    orgId: c.var.holder.orgId, accountId: c.req.valid('param').id, actor: actorOf(c), bytes, mediaType, format, takenAt,
    final: query.final === 'true', ifMatch, now,
  });
  if (!result.ok) return failureResponse(c, result);
  return c.json({ snapshot: snapshotView(result.file), account: accountView(result.account) }, result.created ? 201 : 200);
});

accountsRouter.openapi(listSnapshotsRoute, async (c) => {
  const { db } = c.var.deps.store;
  const id = c.req.valid('param').id;
  if (!(await findAccount(db, c.var.holder.orgId, id))) return problem(c, 404, 'Account not found.');
  const rows = await listSnapshotFiles(db, c.var.holder.orgId, id);
  return c.json({ snapshots: rows.map(snapshotView) }, 200);
});

accountsRouter.openapi(getSnapshotRoute, async (c) => {
  const { id, sha256 } = c.req.valid('param');
  const file = await findSnapshotFile(c.var.deps.store.db, c.var.holder.orgId, id, sha256);
  if (!file) return problem(c, 404, 'Snapshot not found.');
  return c.body(new Uint8Array(file.bytes), 200, {
    'Content-Type': file.mediaType, 'Content-Disposition': `attachment; filename="${sha256}.${file.mediaType === 'image/png' ? 'png' : 'pdf'}"`,
  }) as never;
});

/** The public register needs no key; everything else under /v1 does. */
export const channelsRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

channelsRouter.openapi(channelsRoute, async (c) => {
  const { db } = c.var.deps.store;
  const org = await findOrganisationBySlug(db, c.req.valid('param').slug);
  if (!org) return problem(c, 404, 'Organisation not found.');
  const register = { organisation: { slug: org.slug, name: org.name }, channels: await listChannels(db, org.id) };
  const { format } = c.req.valid('query');
  const wantsHtml = format === 'html' || (format === undefined && /\btext\/html\b/.test(c.req.header('accept') ?? ''));
  if (wantsHtml) {
    const ledger = { checkpoint: await latestCheckpoint(db, org.id), keyId: c.var.deps.checkpoints?.signer?.keyId ?? null };
    return c.html(renderChannelRegister(register, policyOf(org), ledger)) as never;
  }
  return c.json(register, 200);
});

