// The ledger's checkpoints and proofs over HTTP (ledger.contract.ts).
import { OpenAPIHono } from '@hono/zod-openapi';
import { latestCheckpoint } from '../../db/ledger/checkpoints.ts';
import { consistencyBetween } from '../../db/ledger/proofs.ts';
import { findOrganisationBySlug } from '../../db/organisations.ts';
import { roleRefusal } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { problem } from '../problem.ts';
import { validationHook } from '../validation.ts';
import { consistencyRoute, publicCheckpointRoute } from './ledger.contract.ts';

export const ledgerRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

ledgerRouter.openapi(publicCheckpointRoute, async (c) => {
  const { db } = c.var.deps.store;
  const org = await findOrganisationBySlug(db, c.req.valid('param').slug);
  if (!org) return problem(c, 404, 'Organisation not found.');
  const signer = c.var.deps.checkpoints?.signer ?? null;
  const body = {
    org: org.slug, checkpoint: await latestCheckpoint(db, org.id), algorithm: 'Ed25519' as const,
    publicKey: signer?.publicKey ?? null, keyId: signer?.keyId ?? null,
  };
  return c.json(body, 200);
});

ledgerRouter.openapi(consistencyRoute, async (c) => {
  const refused = roleRefusal(c, ['auditor', 'admin']);
  if (refused) return refused;
  const { from, to } = c.req.valid('query');
  const result = await consistencyBetween(c.var.deps.store, c.var.holder.orgId, from, to);
  if (!result.ok) return problem(c, 400, result.detail);
  const { ok: _ok, ...proof } = result;
  return c.json(proof, 200);
});
