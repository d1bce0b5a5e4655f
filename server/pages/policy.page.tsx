// The policy page (GET /policy): the policy in force in words for an officer, each obligation with
// its rule id and text, the organisation's own rules, and every version with who set it and when.
// An admin changes it with a form: POST /policy checks the text and shows the dry run (what the
// change does to live work); only that answer offers the Save form, which writes under If-Match.
import { Hono } from 'hono';
import type { Context } from 'hono';
import { findOrganisation, type Organisation } from '../../db/organisations.ts';
import { policyImpact, type PolicyImpact } from '../../db/policy/policy-impact.ts';
import { changePolicy, currentPolicy, listPolicyVersions } from '../../db/policy/policy-versions.ts';
import { resolvePolicyInput, type PolicyIssue } from '../../machines/policy/policy-input.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { localTime } from './format.ts';
import { CsrfField, Layout } from './layout.tsx';
import type { PageEnv } from './page-env.ts';
import { policyInWords, type Obligation } from './policy-words.ts';

export const policyPageRouter = new Hono<PageEnv>();

type PageContext = Context<PageEnv>;

/** What a POST answers on the page: the issues of a bad text, the dry run of a good one, or a stale version. */
type Outcome =
  | { kind: 'invalid'; text: string; errors: PolicyIssue[] }
  | { kind: 'dry-run'; text: string; version: number; impact: PolicyImpact }
  | { kind: 'stale'; text: string; current: number };

function Obligations(props: { title: string; id: string; items: Obligation[] }) {
  return (
    <section id={props.id}>
      <h2>{props.title}</h2>
      <ul>
        {props.items.map((item) => (
          <li>
            {item.what}
            {item.rule ? <> <strong>{item.rule}</strong>{item.text ? `: ${item.text}` : ''}</> : null}
            {item.chosen ? <em>{` (chosen: ${item.chosen})`}</em> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Impact(props: { impact: PolicyImpact }) {
  const { deadlines, accounts, items } = props.impact;
  return (
    <ul id="impact">
      <li>{`${deadlines.count} open deadline(s) of a changed window (${deadlines.windowsChanged.join(', ') || 'none changed'}): they keep their due instant.`}</li>
      <li>{`${accounts.count} live account(s) the new account rules would flag`}{accounts.examples.length ? `: ${accounts.examples.map((a) => `${a.handle} (${a.reason}, ${a.rule})`).join('; ')}` : '.'}</li>
      <li>{`${items.count} live unregistered item(s) the new version would require registered; they keep the rules of their receipt.`}</li>
    </ul>
  );
}

async function render(c: PageContext, org: Organisation, status: 200 | 400 | 409, outcome: Outcome | null) {
  const { db } = c.var.deps.store;
  const current = await currentPolicy(db, org);
  const versions = await listPolicyVersions(db, org);
  const policy: Policy = current.policy;
  const words = policyInWords(policy);
  const isAdmin = c.var.holder.role === 'admin';
  const text = outcome?.text ?? JSON.stringify(policy, null, 2);
  return c.html(
    <Layout title={`Policy — ${org.name}`} holder={c.var.holder} csrf={c.var.csrf}>
      <p>{`Version ${current.version}, in force since ${localTime(current.effectiveFrom, policy)}.`}</p>
      <section id="calendar"><h2>Weekdays</h2><ul>{words.calendar.map((line) => <li>{line}</li>)}</ul></section>
      <Obligations title="Deadlines" id="windows" items={words.windows} />
      <Obligations title="What must be registered" id="registration" items={words.registration} />
      <Obligations title="Removal" id="removal" items={words.removal} />
      <Obligations title="Thinning" id="thinning" items={words.thinning} />
      <Obligations title="Accounts" id="accounts" items={words.accounts} />
      <section id="rules">
        <h2>{`The organisation's own rules (${policy.rules.length})`}</h2>
        {policy.rules.length === 0 ? <p>This policy cites the rulebook's rules only.</p> : (
          <table>
            <thead><tr><th>id</th><th>rule</th><th>source</th></tr></thead>
            <tbody>{policy.rules.map((rule) => <tr><td><strong>{rule.id}</strong></td><td>{rule.text}</td><td>{rule.source}</td></tr>)}</tbody>
          </table>
        )}
      </section>
      <section id="versions">
        <h2>Versions</h2>
        <table>
          <thead><tr><th>version</th><th>in force from</th><th>set by</th><th>from</th><th>sha256</th></tr></thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <td>{v.version}</td><td>{localTime(v.effectiveFrom, policy)}</td>
                <td>{`${v.changedBy.role}${v.changedBy.keyId ? ` (key ${v.changedBy.keyId.slice(0, 8)})` : ''}`}</td>
                <td>{v.source}</td><td><code>{v.hash.slice(0, 16)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {isAdmin ? (
        <section id="change">
          <h2>Change the policy</h2>
          {outcome?.kind === 'invalid' ? (
            <div class="error" role="alert" id="problem">
              <p><strong>The policy is not valid; nothing changed.</strong></p>
              <ul>{outcome.errors.map((e) => <li><code>{e.path || '(whole policy)'}</code>: {e.message}</li>)}</ul>
            </div>
          ) : null}
          {outcome?.kind === 'stale' ? (
            <p class="error" role="alert" id="problem">{`The policy changed meanwhile (it is at version ${outcome.current}); check the dry run again.`}</p>
          ) : null}
          {outcome?.kind === 'dry-run' ? (
            <div id="dry-run">
              <p><strong>{`Dry run: as version ${outcome.version + 1}, from the moment it is saved, this change would touch:`}</strong></p>
              <Impact impact={outcome.impact} />
              <form method="post" action="/policy">
                <CsrfField token={c.var.csrf} />
                <input type="hidden" name="intent" value="save" />
                <input type="hidden" name="version" value={String(outcome.version)} />
                <input type="hidden" name="policy" value={outcome.text} />
                <button type="submit">Save as version {outcome.version + 1}</button>
              </form>
            </div>
          ) : null}
          <form method="post" action="/policy">
            <CsrfField token={c.var.csrf} />
            <input type="hidden" name="intent" value="check" />
            <input type="hidden" name="version" value={String(current.version)} />
            <label for="policy-text">The whole policy, or {'{"preset", "overrides"}'}, as JSON (docs/policy.md)</label>
            <textarea id="policy-text" name="policy" rows={20} cols={80}>{text}</textarea>
            <button type="submit">Show what it would change</button>
          </form>
        </section>
      ) : null}
    </Layout>,
    status,
  );
}

async function organisationOf(c: PageContext): Promise<Organisation | null> {
  return findOrganisation(c.var.deps.store.db, c.var.holder.orgId);
}

policyPageRouter.get('/policy', async (c) => {
  const org = await organisationOf(c);
  return org ? render(c, org, 200, null) : c.notFound();
});

policyPageRouter.post('/policy', async (c) => {
  const org = await organisationOf(c);
  if (!org) return c.notFound();
  if (c.var.holder.role !== 'admin') {
    return c.html(<Layout title="Policy" holder={c.var.holder} csrf={c.var.csrf}><p class="error" role="alert">Only an admin changes the policy.</p></Layout>, 403);
  }
  const form = await c.req.parseBody();
  const text = typeof form.policy === 'string' ? form.policy : '';
  const version = typeof form.version === 'string' && /^[1-9]\d{0,8}$/.test(form.version) ? Number(form.version) : null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return render(c, org, 400, { kind: 'invalid', text, errors: [{ path: '', message: 'not JSON' }] });
  }
  const input = resolvePolicyInput(parsed);
  if (!input.ok) return render(c, org, 400, { kind: 'invalid', text, errors: input.errors });
  if (version === null) return render(c, org, 400, { kind: 'invalid', text, errors: [{ path: 'version', message: 'the version the page showed is missing; reload the page' }] });
  if (version !== org.policyVersion) return render(c, org, 409, { kind: 'stale', text, current: org.policyVersion });
  const { deps, holder } = c.var;
  const now = deps.clock();
  if (form.intent !== 'save') {
    const before = await currentPolicy(deps.store.db, org);
    const impact = await policyImpact(deps.store.db, org.id, before.policy, input.policy, now);
    return render(c, org, 200, { kind: 'dry-run', text, version, impact });
  }
  const result = await changePolicy(deps.store, { orgId: org.id, policy: input.policy, source: input.source, ifMatch: version, actor: { keyId: holder.keyId, role: holder.role }, now });
  if (!result.ok) return render(c, org, 409, { kind: 'stale', text, current: result.code === 'precondition_failed' ? result.current : org.policyVersion });
  return c.redirect('/policy', 303);
});
