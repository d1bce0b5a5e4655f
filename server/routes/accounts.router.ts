// Accounts over HTTP: propose, approve, read, history; and the public channel register.
import { OpenAPIHono } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { accountView, applyAccountEvent, createAccount, findAccount, listChannels } from '../../db/accounts.ts';
import { subjectHistory } from '../../db/ledger.ts';
import { findOrganisation, findOrganisationBySlug, policyOf } from '../../db/organisations.ts';
import { accounts } from '../../db/schema.ts';
import { roleRefusal } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { failureResponse, problem } from '../problem.ts';
import { validationHook } from '../validation.ts';
import {
  accountEventRoute, accountHistoryRoute, channelsRoute, createAccountRoute, getAccountRoute, listAccountsRoute,
} from './accounts.contract.ts';
import { historyEntry } from './items.router.ts';

export const accountsRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

accountsRouter.openapi(createAccountRoute, async (c) => {
  const refused = roleRefusal(c, ['admin']);
  if (refused) return refused;
  const { holder, deps } = c.var;
  const org = await findOrganisation(deps.store.db, holder.orgId);
  if (!org) return problem(c, 404, 'Organisation not found.');
  const row = await createAccount(deps.store, {
    orgId: org.id, policy: policyOf(org), actor: { keyId: holder.keyId, role: holder.role }, account: c.req.valid('json'),
    now: deps.clock(),
  });
  return c.json(accountView(row), 201);
});

accountsRouter.openapi(listAccountsRoute, async (c) => {
  const rows = await c.var.deps.store.db
    .select()
    .from(accounts)
    .where(eq(accounts.orgId, c.var.holder.orgId))
    .orderBy(desc(accounts.id))
    .limit(1_000);
  return c.json({ accounts: rows.map(accountView) }, 200);
});

accountsRouter.openapi(getAccountRoute, async (c) => {
  const row = await findAccount(c.var.deps.store.db, c.var.holder.orgId, c.req.valid('param').id);
  if (!row) return problem(c, 404, 'Account not found.');
  return c.json(accountView(row), 200);
});

accountsRouter.openapi(accountEventRoute, async (c) => {
  const refused = roleRefusal(c, ['admin']);
  if (refused) return refused;
  const { holder, deps } = c.var;
  const result = await applyAccountEvent(deps.store, {
    orgId: holder.orgId, accountId: c.req.valid('param').id, actor: { keyId: holder.keyId, role: holder.role },
    event: c.req.valid('json'), now: deps.clock(),
  });
  if (!result.ok) return failureResponse(c, result);
  return c.json(accountView(result.account), 200);
});

accountsRouter.openapi(accountHistoryRoute, async (c) => {
  const { db } = c.var.deps.store;
  const id = c.req.valid('param').id;
  if (!(await findAccount(db, c.var.holder.orgId, id))) return problem(c, 404, 'Account not found.');
  return c.json({ events: (await subjectHistory(db, c.var.holder.orgId, id)).map(historyEntry) }, 200);
});

/** The public register needs no key; everything else under /v1 does. */
export const channelsRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

channelsRouter.openapi(channelsRoute, async (c) => {
  const { db } = c.var.deps.store;
  const org = await findOrganisationBySlug(db, c.req.valid('param').slug);
  if (!org) return problem(c, 404, 'Organisation not found.');
  return c.json({ organisation: { slug: org.slug, name: org.name }, channels: await listChannels(db, org.id) }, 200);
});

