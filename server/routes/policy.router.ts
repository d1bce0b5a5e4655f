// The policy over HTTP: read it and its versions (any role); change it (admin) under If-Match,
// or ask with dryRun=true what a change would do to live work. A bad policy is 400 with the path
// of every issue, and nothing changes.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { findOrganisation, type Organisation } from '../../db/organisations.ts';
import { policyImpact } from '../../db/policy/policy-impact.ts';
import { changePolicy, currentPolicy, listPolicyVersions } from '../../db/policy/policy-versions.ts';
import { resolvePolicyInput } from '../../machines/policy/policy-input.ts';
import { roleRefusal } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { problem } from '../problem.ts';
import { validationHook } from '../validation.ts';
import { malformedIfMatch, parseIfMatch } from './if-match.ts';
import { getPolicyRoute, listPolicyVersionsRoute, putPolicyRoute } from './policy.contract.ts';

export const policyRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

async function organisationOf(c: Context<AppEnv>): Promise<Organisation> {
  const org = await findOrganisation(c.var.deps.store.db, c.var.holder.orgId);
  // The key's organisation exists while the key does: its absence is a broken database, not a client error.
  if (!org) throw new Error(`organisation ${c.var.holder.orgId} of key ${c.var.holder.keyId} does not exist`);
  return org;
}

policyRouter.openapi(getPolicyRoute, async (c) => {
  const current = await currentPolicy(c.var.deps.store.db, await organisationOf(c));
  return c.json(current, 200, { ETag: `"${current.version}"` });
});

policyRouter.openapi(listPolicyVersionsRoute, async (c) => {
  return c.json({ versions: await listPolicyVersions(c.var.deps.store.db, await organisationOf(c)) }, 200);
});

policyRouter.openapi(
  putPolicyRoute,
  async (c) => {
    const refused = roleRefusal(c, ['admin']);
    if (refused) return refused;
    const header = c.req.valid('header')['if-match'];
    if (header === undefined) {
      return problem(c, 428, 'Send If-Match with the policy version you changed ("VERSION", as GET /v1/policy gives in ETag).');
    }
    const ifMatch = parseIfMatch(header);
    if (ifMatch === 'invalid' || ifMatch === null) return malformedIfMatch(c);
    const input = resolvePolicyInput(c.req.valid('json'));
    if (!input.ok) return problem(c, 400, 'The policy is not valid; nothing changed.', { errors: input.errors });
    const { db } = c.var.deps.store;
    const org = await organisationOf(c);
    if (org.policyVersion !== ifMatch) {
      return problem(c, 412, `The policy is at version ${org.policyVersion}, not ${ifMatch}.`);
    }
    const now = c.var.deps.clock();
    const before = await currentPolicy(db, org);
    const impact = await policyImpact(db, org.id, before.policy, input.policy, now);
    if (c.req.valid('query').dryRun === 'true') {
      const would = { version: org.policyVersion + 1, effectiveFrom: now.toISOString(), policy: input.policy };
      return c.json({ ...would, dryRun: true, impact }, 200, { ETag: `"${org.policyVersion}"` });
    }
    const result = await changePolicy(c.var.deps.store, {
      orgId: org.id, policy: input.policy, source: input.source, ifMatch, actor: { keyId: c.var.holder.keyId, role: c.var.holder.role }, now,
    });
    if (!result.ok) return result.code === 'not_found' ? problem(c, 404, result.detail) : problem(c, 412, result.detail);
    return c.json({ ...result.current, dryRun: false, impact }, 200, { ETag: `"${result.current.version}"` });
  },
  (result, c) => {
    if (result.success) return undefined;
    // The body's own validation names the path of every issue (a union's error would not).
    if (result.target === 'json') {
      const input = resolvePolicyInput((result as { data?: unknown }).data);
      if (!input.ok) return problem(c, 400, 'The policy is not valid; nothing changed.', { errors: input.errors });
    }
    return validationHook(result, c);
  },
);
