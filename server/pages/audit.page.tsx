// The audit pages (auditor, admin): ledger verification of the organisation in chunks with a
// progress indicator (GET /audit/verify), the thinning decision records (GET /audit), and the
// export of one item or a date range as a self-contained zip package (GET /audit/export).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { exportData, exportItemCap, type ExportSelection } from '../../db/items/export.ts';
import { findOrganisation, policyOf, type Organisation } from '../../db/organisations.ts';
import { listThinningDecisions } from '../../db/items/thinning.ts';
import { verifyLedgerChunk, type VerifyChunk } from '../../db/ledger/verify.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { ArchiveExportSection } from './archive-export.page.tsx';
import { buildExportPackage } from './export-package.ts';
import { latestCheckpoint } from '../../db/ledger/checkpoints.ts';
import { inclusionProofs } from '../../db/ledger/proofs.ts';
import { localTime } from './format.ts';
import { Layout } from './layout.tsx';
import { mayOpenAudit } from './page-access.ts';
import type { PageEnv } from './page-env.ts';

export const auditPagesRouter = new Hono<PageEnv>();

type PageContext = Context<PageEnv>;

/** Events verified per request; a request may ask for fewer (or more, up to the maximum). */
export const defaultVerifyChunk = 2_000;
const maxVerifyChunk = 10_000;
/** Break positions carried from chunk to chunk; the count goes on beyond them. */
const keptBreaks = 50;
const decisionsPerPage = 20;
const idPattern = /^[0-9a-f-]{36}$/;

function forbidden(c: PageContext) {
  return c.html(
    <Layout title="Audit" holder={c.var.holder} csrf={c.var.csrf}>
      <p class="error" role="alert">
        The audit pages are for the auditor and admin roles; your key's role is {c.var.holder.role}.
      </p>
    </Layout>,
    403,
  );
}

async function organisationOf(c: PageContext): Promise<{ org: Organisation; policy: Policy }> {
  const org = await findOrganisation(c.var.deps.store.db, c.var.holder.orgId);
  if (!org) throw new Error(`organisation ${c.var.holder.orgId} of a signed-in key does not exist`);
  return { org, policy: policyOf(org) };
}

auditPagesRouter.use('/audit', async (c, next) => (mayOpenAudit(c.var.holder.role) ? next() : forbidden(c)));
auditPagesRouter.use('/audit/*', async (c, next) => (mayOpenAudit(c.var.holder.role) ? next() : forbidden(c)));

// ---------------------------------------------------------------------------------------------
// GET /audit: verification entry, thinning decisions (paged), export form.

auditPagesRouter.get('/audit', async (c) => {
  const db = c.var.deps.store.db;
  const { org, policy } = await organisationOf(c);
  const before = c.req.query('before');
  const page = await listThinningDecisions(db, org.id, decisionsPerPage, before && idPattern.test(before) ? before : undefined);
  return c.html(
    <Layout title="Audit" holder={c.var.holder} csrf={c.var.csrf}>
      <section>
        <h2>Ledger verification</h2>
        <p>
          The organisation's ledger holds {org.ledgerSeq.toLocaleString('en')} events. Verification recomputes every hash of
          the chain, checks that positions and each item's and account's sequence run without gaps, and checks the head.
        </p>
        <p><a class="button" href="/audit/verify">Verify the ledger</a></p>
        <p>
          Plain verification cannot catch a history rewritten consistently by someone with write access to the database:
          check it against a signed checkpoint kept elsewhere on the <a href="/audit/checkpoints">checkpoints page</a>.
        </p>
      </section>

      <ArchiveExportSection c={c} />

      <section id="export">
        <h2>Evidence export</h2>
        <p>
          One item, or the items received in a date range (at most {exportItemCap.toLocaleString('en')}), as a zip package:
          items, events and thinning decisions as JSON with a manifest of sha256 sums, and a PDF timeline per item.
        </p>
        <form method="get" action="/audit/export" id="export-item">
          <fieldset>
            <legend>One item</legend>
            <label>Item id <input type="text" name="itemId" required pattern="[0-9a-f\-]{36}" size={40} /></label>
            <button type="submit">Export the item</button>
          </fieldset>
        </form>
        <form method="get" action="/audit/export" id="export-range">
          <fieldset>
            <legend>Items received in a range ({policy.timeZone})</legend>
            <label>From (first day) <input type="date" name="from" required /></label>
            <label>To (last day) <input type="date" name="to" required /></label>
            <button type="submit">Export the range</button>
          </fieldset>
        </form>
      </section>

      <section>
        <h2>Thinning decisions</h2>
        {page.decisions.length === 0 ? <p>No thinning decisions{before ? ' before these' : ''}.</p> : (
          <table>
            <thead><tr><th>Decided</th><th>Decision</th><th>Rule</th><th>Reason</th><th>Job</th><th>Items</th></tr></thead>
            <tbody>
              {page.decisions.map((decision) => (
                <tr>
                  <td>{localTime(decision.decidedAt, policy)}</td>
                  <td><code>{decision.id}</code></td>
                  <td>{decision.rule} ({decision.preset})</td>
                  <td>{decision.reason}</td>
                  <td>{decision.job}</td>
                  <td>
                    {decision.itemIds.length}:{' '}
                    {decision.itemIds.slice(0, 20).map((id) => <><a href={`/items/${id}`}><code>{id.slice(0, 8)}</code></a>{' '}</>)}
                    {decision.itemIds.length > 20 ? '…' : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {page.nextCursor ? <p><a rel="next" href={`/audit?before=${page.nextCursor}`}>Older decisions</a></p> : null}
      </section>
    </Layout>,
  );
});

// ---------------------------------------------------------------------------------------------
// GET /audit/verify: one chunk per request. The state between requests (position reached, breaks
// found) travels in the link, signed with the session's secret so it cannot be edited into "ok".

interface VerifyState {
  at: number;
  chunk: number;
  /** Breaks found so far. */
  count: number;
  /** Chain positions of the first breaks found (up to keptBreaks). */
  positions: number[];
}

function signState(secret: string, orgId: string, state: VerifyState): string {
  return createHmac('sha256', secret)
    .update(`${orgId}|${state.at}|${state.chunk}|${state.count}|${state.positions.join(',')}`)
    .digest('base64url');
}

function stateQuery(secret: string, orgId: string, state: VerifyState): string {
  const params = new URLSearchParams({
    at: String(state.at), chunk: String(state.chunk), n: String(state.count), b: state.positions.join(','),
    sig: signState(secret, orgId, state),
  });
  return `/audit/verify?${params.toString()}`;
}

function readState(c: PageContext): VerifyState | null {
  const chunkParam = Number(c.req.query('chunk') ?? defaultVerifyChunk);
  const chunk = Number.isInteger(chunkParam) && chunkParam >= 1 && chunkParam <= maxVerifyChunk ? chunkParam : defaultVerifyChunk;
  const atText = c.req.query('at');
  if (atText === undefined || atText === '0') return { at: 0, chunk, count: 0, positions: [] };
  const at = Number(atText);
  const count = Number(c.req.query('n') ?? '0');
  const b = c.req.query('b') ?? '';
  const positions = b ? b.split(',').map(Number) : [];
  if (!Number.isInteger(at) || at < 0 || !Number.isInteger(count) || count < 0 || positions.some((p) => !Number.isInteger(p) || p < 0)) return null;
  const state = { at, chunk, count, positions };
  const given = Buffer.from(c.req.query('sig') ?? '');
  const expected = Buffer.from(signState(c.var.linkSecret, c.var.holder.orgId, state));
  return given.length === expected.length && timingSafeEqual(given, expected) ? state : null;
}

auditPagesRouter.get('/audit/verify', async (c) => {
  const db = c.var.deps.store.db;
  const { org, policy } = await organisationOf(c);
  const state = readState(c);
  if (!state) {
    return c.html(
      <Layout title="Ledger verification" holder={c.var.holder} csrf={c.var.csrf}>
        <p class="error" role="alert">This verification link is not valid for your session. <a href="/audit/verify">Start again</a>.</p>
      </Layout>,
      400,
    );
  }
  const chunk = (await verifyLedgerChunk(db, org.id, state.at, state.chunk)) as VerifyChunk;
  const positions = [...state.positions];
  for (const found of chunk.breaks) {
    if (found.orgSeq !== null && positions.length < keptBreaks && !positions.includes(found.orgSeq)) positions.push(found.orgSeq);
  }
  const next: VerifyState = { at: chunk.position, chunk: state.chunk, count: state.count + chunk.breaks.length, positions };
  const checked = Math.min(chunk.position, chunk.total);

  if (!chunk.done) {
    const url = stateQuery(c.var.linkSecret, org.id, next);
    c.header('Refresh', `0; url=${url}`);
    return c.html(
      <Layout title="Ledger verification" holder={c.var.holder} csrf={c.var.csrf}>
        <meta http-equiv="refresh" content={`0; url=${url}`} />
        <p class="progress" aria-live="polite">
          Verified <span data-verified={String(checked)}>{checked.toLocaleString('en')}</span> of{' '}
          <span data-total={String(chunk.total)}>{chunk.total.toLocaleString('en')}</span> events…
        </p>
        <progress max={String(Math.max(chunk.total, 1))} value={String(checked)}>{checked} / {chunk.total}</progress>
        {next.count > 0 ? <p class="badge bad">{next.count} break(s) found so far</p> : null}
        <p><a rel="next" href={url}>Continue</a> (the page continues by itself)</p>
      </Layout>,
    );
  }

  // Done: the breaks of earlier chunks are checked again from their positions for their reasons.
  const details: Array<{ orgSeq: number | null; itemId: string | null; seq: number | null; reason: string }> = [];
  for (const position of state.positions) {
    const again = await verifyLedgerChunk(db, org.id, position - 1, 1);
    for (const found of again?.breaks ?? []) if (found.orgSeq === position) details.push(found);
  }
  details.push(...chunk.breaks);
  const ok = next.count === 0;
  return c.html(
    <Layout title="Ledger verification" holder={c.var.holder} csrf={c.var.csrf}>
      <p class="progress">
        Verified <span data-verified={String(checked)}>{checked.toLocaleString('en')}</span> of{' '}
        <span data-total={String(chunk.total)}>{chunk.total.toLocaleString('en')}</span> events.
      </p>
      <progress max={String(Math.max(chunk.total, 1))} value={String(checked)}>{checked} / {chunk.total}</progress>
      {ok ? (
        <p class="badge good" data-verification="ok">Ledger intact: every hash, position and sequence checks out, and the head matches.</p>
      ) : (
        <>
          <p class="badge bad" data-verification="broken">
            The ledger is broken: {next.count} break(s){next.count > details.length ? `; the first ${details.length} are listed` : ''}.
          </p>
          <table>
            <thead><tr><th>Position</th><th>Subject</th><th>Seq</th><th>Reason</th></tr></thead>
            <tbody>
              {details.map((found) => (
                <tr>
                  <td>{found.orgSeq ?? '—'}</td>
                  <td>{found.itemId ? <code>{found.itemId}</code> : '—'}</td>
                  <td>{found.seq ?? '—'}</td>
                  <td>{found.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p>Checked at {localTime(c.var.deps.clock().toISOString(), policy)}. <a href="/audit/verify">Verify again</a> · <a href="/audit">Audit</a></p>
    </Layout>,
  );
});

// ---------------------------------------------------------------------------------------------
// GET /audit/export?itemId=… or ?from=…&to=…: the zip package.

const instant = z.iso.datetime({ offset: true });
const localDay = /^\d{4}-\d{2}-\d{2}$/;

/** A bound of the range: a local day (its first instant; `to` means the day after) or an ISO instant. */
function rangeBound(value: string, policy: Policy, end: boolean): string | null {
  if (localDay.test(value)) {
    const day = DateTime.fromISO(value, { zone: policy.timeZone });
    if (!day.isValid) return null;
    return (end ? day.plus({ days: 1 }) : day).toUTC().toISO()!;
  }
  return instant.safeParse(value).success ? new Date(value).toISOString() : null;
}

function exportProblem(c: PageContext, status: 400 | 404, detail: string) {
  return c.html(
    <Layout title="Export" holder={c.var.holder} csrf={c.var.csrf}>
      <p class="error" role="alert">{detail}</p>
      <p><a href="/audit">Back to the audit page</a></p>
    </Layout>,
    status,
  );
}

auditPagesRouter.get('/audit/export', async (c) => {
  const { org, policy } = await organisationOf(c);
  const itemId = c.req.query('itemId')?.trim();
  const fromText = c.req.query('from')?.trim();
  const toText = c.req.query('to')?.trim();
  let selection: ExportSelection;
  if (itemId) {
    if (!idPattern.test(itemId)) return exportProblem(c, 404, 'Item not found.');
    selection = { itemId };
  } else if (fromText && toText) {
    const from = rangeBound(fromText, policy, false);
    const to = rangeBound(toText, policy, true);
    if (!from || !to) return exportProblem(c, 400, 'Give the range as dates (YYYY-MM-DD) or ISO 8601 instants with an offset.');
    if (from >= to) return exportProblem(c, 400, 'The range ends before it begins.');
    selection = { from, to };
  } else {
    return exportProblem(c, 400, 'Name an item (itemId) or a range (from and to).');
  }
  const result = await exportData(c.var.deps.store.db, org.id, selection);
  if (!result.ok) return exportProblem(c, result.code === 'not_found' ? 404 : 400, result.detail);
  const now = c.var.deps.clock();
  // The latest checkpoint and each event's inclusion proof in its tree, where one has been signed.
  const checkpoint = await latestCheckpoint(c.var.deps.store.db, org.id);
  const ledger = checkpoint ? { checkpoint, proofs: await inclusionProofs(c.var.deps.store, org.id, checkpoint.size, result.data.events) } : undefined;
  const { zip } = await buildExportPackage({ data: result.data, org, policy, selection, now, ledger });
  const label = 'itemId' in selection ? selection.itemId : `${selection.from.slice(0, 10)}_${selection.to.slice(0, 10)}`;
  const filename = `diarium-export-${org.slug}-${label}.zip`.replace(/[^A-Za-z0-9._-]/g, '_');
  return c.body(zip as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': 'application/zip',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Content-Length': String(zip.length),
    'Cache-Control': 'no-store',
  });
});
