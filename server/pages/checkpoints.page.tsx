// The auditors' checkpoint page (auditor, admin): the organisation's signed checkpoints with the
// status of each signature (GET /audit/checkpoints), and a form to paste a checkpoint kept
// elsewhere and check the ledger against it (POST /audit/checkpoints).
import { Hono, type Context } from 'hono';
import { checkpointSchema, checkpointSignatureValid, listCheckpoints } from '../../db/ledger/checkpoints.ts';
import { verifyAgainstCheckpoint, type CheckpointReport } from '../../db/ledger/verify-checkpoint.ts';
import { findOrganisation, policyOf, type Organisation } from '../../db/organisations.ts';
import { localTime } from './format.ts';
import { CsrfField, Layout } from './layout.tsx';
import type { PageEnv } from './page-env.ts';

export const checkpointsPageRouter = new Hono<PageEnv>();

const auditRoles: readonly string[] = ['auditor', 'admin'];
checkpointsPageRouter.use('/audit/checkpoints', async (c, next) => {
  if (auditRoles.includes(c.var.holder.role)) return next();
  return c.html(
    <Layout title="Ledger checkpoints" holder={c.var.holder} csrf={c.var.csrf}>
      <p class="error" role="alert">The audit pages are for the auditor and admin roles; your key's role is {c.var.holder.role}.</p>
    </Layout>,
    403,
  );
});

type PageContext = Context<PageEnv>;

const shown = 100;
/** A pasted checkpoint is a few hundred characters; anything much longer is not one. */
const maxPasted = 4_000;

async function organisationOf(c: PageContext): Promise<Organisation> {
  const org = await findOrganisation(c.var.deps.store.db, c.var.holder.orgId);
  if (!org) throw new Error(`organisation ${c.var.holder.orgId} of a signed-in key does not exist`);
  return org;
}

async function page(c: PageContext, pasted: { text: string; error?: string; report?: CheckpointReport } | null, status: 200 | 400 = 200) {
  const org = await organisationOf(c);
  const policy = policyOf(org);
  const checkpoints = await listCheckpoints(c.var.deps.store.db, org.id, shown);
  const serverKey = c.var.deps.checkpoints?.signer?.keyId ?? null;
  return c.html(
    <Layout title="Ledger checkpoints" holder={c.var.holder} csrf={c.var.csrf}>
      <p>
        A checkpoint is the root of the ledger's Merkle tree at a size, signed with the server's Ed25519 key, which lives
        outside the database. Keep copies (<code>GET /v1/orgs/{org.slug}/ledger/checkpoint</code> is public): a checkpoint
        kept elsewhere proves that today's ledger still extends the history it signed, which plain verification cannot.
      </p>
      <p>
        {serverKey
          ? <>This server signs with key <code>{serverKey}</code>.</>
          : <span class="badge warn" data-signing="off">This server has no signing key (LEDGER_SIGNING_KEY): it makes no checkpoints.</span>}
      </p>

      <section id="check">
        <h2>Check a kept checkpoint</h2>
        <form method="post" action="/audit/checkpoints">
          <CsrfField token={c.var.csrf} />
          <label>Checkpoint (JSON) <textarea name="checkpoint" rows={8} cols={80} required maxlength={maxPasted}>{pasted?.text ?? ''}</textarea></label>
          <button type="submit">Check the ledger against it</button>
        </form>
        {pasted?.error ? <p class="error" role="alert">{pasted.error}</p> : null}
        {pasted?.report ? <Report report={pasted.report} /> : null}
      </section>

      <section>
        <h2>Checkpoints of {org.name}</h2>
        {checkpoints.length === 0 ? <p>No checkpoints yet.</p> : (
          <table>
            <thead><tr><th>Size</th><th>Signed</th><th>Root hash</th><th>Key</th><th>Signature</th></tr></thead>
            <tbody>
              {checkpoints.map((cp) => {
                const valid = checkpointSignatureValid(cp);
                return (
                  <tr>
                    <td>{cp.size}</td>
                    <td>{localTime(cp.at, policy)}</td>
                    <td><code>{cp.rootHash}</code></td>
                    <td><code>{cp.keyId.slice(0, 16)}</code>{serverKey && cp.keyId !== serverKey ? ' (not the current key)' : ''}</td>
                    <td><span class={`badge ${valid ? 'good' : 'bad'}`} data-signature={valid ? 'valid' : 'invalid'}>{valid ? 'valid' : 'INVALID'}</span></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </Layout>,
    status,
  );
}

function Report(props: { report: CheckpointReport }) {
  const r = props.report;
  const first = r.firstDifference;
  return (
    <div>
      {r.ok
        ? <p class="badge good" data-checkpoint="holds">The ledger extends the checkpoint of {r.checkpoint.size} events: its signature is valid, the chain's first {r.checkpoint.size} events have the signed root, and today's tree of {r.events} extends it.</p>
        : <p class="badge bad" data-checkpoint="broken">The ledger does not hold against this checkpoint: {r.reason}.</p>}
      <ul>
        <li>Signature: {r.signature}{r.signedByServerKey === false ? ' (not the server\'s current key)' : ''}</li>
        <li>Root of the first {r.checkpoint.size} events today: <code>{r.rootAtSize ?? 'fewer events than that'}</code></li>
        <li>Chain verification: {r.chain.ok ? 'intact' : `${r.chain.breaks.length} break(s)`}</li>
        {first ? (
          'missing' in first
            ? <li>First difference: chain position {first.orgSeq} is missing</li>
            : <li>
                First {first.exact ? 'event that differs' : 'event that may differ'}: chain position {first.orgSeq}, {first.type} of {first.subject}{' '}
                {first.subject === 'item' ? <a href={`/items/${first.subjectId}`}><code>{first.subjectId}</code></a> : <code>{first.subjectId}</code>} (#{first.seq})
                {first.exact ? null : <> — somewhere up to position {first.upTo}</>}
              </li>
        ) : null}
      </ul>
    </div>
  );
}

checkpointsPageRouter.get('/audit/checkpoints', (c) => page(c, null));

checkpointsPageRouter.post('/audit/checkpoints', async (c) => {
  const form = await c.req.parseBody();
  const text = typeof form.checkpoint === 'string' ? form.checkpoint.slice(0, maxPasted) : '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return page(c, { text, error: 'That is not JSON. Paste a checkpoint as GET /v1/orgs/{slug}/ledger/checkpoint gives it (its "checkpoint" object).' }, 400);
  }
  // The public endpoint's whole answer is accepted too: its checkpoint is inside.
  const candidate = value && typeof value === 'object' && 'checkpoint' in value ? (value as { checkpoint: unknown }).checkpoint : value;
  const parsed = checkpointSchema.safeParse(candidate);
  if (!parsed.success) {
    return page(c, { text, error: `Not a checkpoint: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}.` }, 400);
  }
  const org = await organisationOf(c);
  if (parsed.data.org !== org.slug) return page(c, { text, error: `That checkpoint is of "${parsed.data.org}"; you are signed in to "${org.slug}".` }, 400);
  const report = await verifyAgainstCheckpoint(c.var.deps.store, org, parsed.data, c.var.deps.checkpoints?.signer?.keyId ?? null);
  return page(c, { text, report });
});
