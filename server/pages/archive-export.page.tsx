// Archive delivery from the audit page (auditor, admin): a form that starts a Noark 5 or E-ARK SIP
// export job, a job page that follows its progress (it reloads itself while the job runs: no
// script), and the download of the finished tar. The jobs are the API's (db/archive/export-jobs.ts).
import { Hono, type Context } from 'hono';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import { archiveOrganisation } from '../../db/archive/archive-organisation.ts';
import { findExport, listExports, packageFile, runExport, startExport, type ExportView } from '../../db/archive/export-jobs.ts';
import { checkSchemaFolder } from '../../db/archive/schema-folder.ts';
import { findOrganisation, policyOf } from '../../db/organisations.ts';
import { defaultExportSettings } from '../routes/exports.router.ts';
import { localTime } from './format.ts';
import { CsrfField, Layout } from './layout.tsx';
import type { PageEnv } from './page-env.ts';

export const archiveExportRouter = new Hono<PageEnv>();

type PageContext = Context<PageEnv>;

const auditRoles: readonly string[] = ['auditor', 'admin'];
const gate = async (c: PageContext, next: () => Promise<void>) => {
  if (auditRoles.includes(c.var.holder.role)) return next();
  return c.html(<Layout title="Archive delivery" holder={c.var.holder} csrf={c.var.csrf}><p class="error" role="alert">Archive delivery is for the auditor and admin roles.</p></Layout>, 403);
};
archiveExportRouter.use('/audit/archive', gate);
archiveExportRouter.use('/audit/archive/*', gate);

const formats = { noark5: 'Noark 5 arkivuttrekk (Norway)', 'eark-sip': 'E-ARK SIP with CITS ERMS (Sweden: FGS)' } as const;
const day = /^\d{4}-\d{2}-\d{2}$/;

/** The archive delivery section of GET /audit: the form and the latest jobs. */
export async function ArchiveExportSection(props: { c: PageContext }) {
  const { c } = props;
  const org = await findOrganisation(c.var.deps.store.db, c.var.holder.orgId);
  const policy = policyOf(org!);
  const jobs = await listExports(c.var.deps.store.db, c.var.holder.orgId, 10);
  return (
    <section id="archive">
      <h2>Deliver to the archive</h2>
      <p>
        Registered items of a period as a package the archive takes: validated against the official schemas, a SHA-256 for
        every file, thinned items only as disposals without personal data. The package is built in the background.
      </p>
      <form method="post" action="/audit/archive" id="archive-export">
        <CsrfField token={c.var.csrf} />
        <fieldset>
          <legend>Period ({policy.timeZone})</legend>
          <label>Format{' '}
            <select name="format">
              {Object.entries(formats).map(([value, label]) => <option value={value}>{label}</option>)}
            </select>
          </label>
          <label>From (first day) <input type="date" name="from" required /></label>
          <label>To (last day) <input type="date" name="to" required /></label>
          <button type="submit">Build the package</button>
        </fieldset>
      </form>
      {jobs.length === 0 ? null : (
        <table>
          <thead><tr><th>Started</th><th>Format</th><th>Period</th><th>Status</th><th>Package</th></tr></thead>
          <tbody>
            {jobs.map((job) => (
              <tr>
                <td>{localTime(job.createdAt, policy)}</td>
                <td>{job.format}</td>
                <td>{job.from.slice(0, 10)} – {job.to.slice(0, 10)}</td>
                <td><a href={`/audit/archive/${job.id}`}>{job.status}</a></td>
                <td>{job.status === 'done' ? <a href={`/audit/archive/${job.id}/package`}>Download</a> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function problemPage(c: PageContext, status: 400 | 404 | 409, detail: string) {
  return c.html(
    <Layout title="Archive delivery" holder={c.var.holder} csrf={c.var.csrf}>
      <p class="error" role="alert">{detail}</p>
      <p><a href="/audit#archive">Back to the audit page</a></p>
    </Layout>,
    status,
  );
}

archiveExportRouter.post('/audit/archive', async (c) => {
  const { deps, holder } = c.var;
  const settings = deps.archive ?? defaultExportSettings;
  const form = await c.req.parseBody();
  const format = String(form.format ?? '');
  if (format !== 'noark5' && format !== 'eark-sip') return problemPage(c, 400, 'Choose a format: Noark 5 or E-ARK SIP.');
  const org = await findOrganisation(deps.store.db, holder.orgId);
  if (!org) return problemPage(c, 404, 'Organisation not found.');
  const zone = policyOf(org).timeZone;
  const [fromText, toText] = [String(form.from ?? ''), String(form.to ?? '')];
  const from = day.test(fromText) ? DateTime.fromISO(fromText, { zone }) : null;
  const to = day.test(toText) ? DateTime.fromISO(toText, { zone }).plus({ days: 1 }) : null;
  if (!from?.isValid || !to?.isValid) return problemPage(c, 400, 'Give the period as two dates.');
  if (from >= to) return problemPage(c, 400, 'The period ends before it begins.');
  const schemas = checkSchemaFolder(settings.schemaDir, format);
  if (!schemas.ok) return problemPage(c, 409, schemas.detail);
  const started = await startExport(deps.store, {
    orgId: org.id, format, from: from.toUTC().toISO()!, to: to.toUTC().toISO()!, actor: { keyId: holder.keyId, role: holder.role }, now: deps.clock(),
  });
  if (!started.ok) return problemPage(c, 409, started.detail);
  void runExport(deps.store, archiveOrganisation(org), started.job.id, settings, deps.clock);
  return c.redirect(`/audit/archive/${started.job.id}`, 303);
});

function JobPage(props: { job: ExportView }) {
  const { job } = props;
  return (
    <>
      <p class="progress" aria-live="polite">
        {job.status === 'running'
          ? <>Building the {formats[job.format]}: <span data-done={String(job.progress.done)}>{job.progress.done.toLocaleString('en')}</span> of{' '}
            <span data-total={String(job.progress.total)}>{job.progress.total.toLocaleString('en')}</span> items written…</>
          : job.status === 'done' ? <>The package is built and valid against the official schemas.</> : <>The export failed.</>}
      </p>
      {job.status === 'running' ? <progress max={String(Math.max(job.progress.total, 1))} value={String(job.progress.done)}>{job.progress.done}</progress> : null}
      <dl>
        <dt>Format</dt><dd>{formats[job.format]}</dd>
        <dt>Period</dt><dd>{job.from} – {job.to}</dd>
        {job.sha256 ? <><dt>SHA-256</dt><dd><code>{job.sha256}</code></dd></> : null}
        {job.bytes !== null ? <><dt>Size</dt><dd>{job.bytes.toLocaleString('en')} bytes, {job.files} files</dd></> : null}
        {job.error ? <><dt>Reason</dt><dd class="error">{job.error}</dd></> : null}
      </dl>
      {job.validation.errors.length > 0 ? (
        <ul class="error">{job.validation.errors.map((e) => <li><code>{e.file}</code>: {e.message}</li>)}</ul>
      ) : null}
      {job.status === 'done' ? <p><a class="button" href={`/audit/archive/${job.id}/package`} download>Download the package (tar)</a></p> : null}
      <p><a href="/audit#archive">Back to the audit page</a></p>
    </>
  );
}

archiveExportRouter.get('/audit/archive/:id', async (c) => {
  const { deps, holder } = c.var;
  const job = await findExport(deps.store, holder.orgId, c.req.param('id'), deps.clock());
  if (!job) return problemPage(c, 404, 'Export not found.');
  if (job.status === 'running') c.header('Refresh', '2');
  return c.html(
    <Layout title="Archive delivery" holder={holder} csrf={c.var.csrf}>
      {job.status === 'running' ? <meta http-equiv="refresh" content="2" /> : null}
      <JobPage job={job} />
    </Layout>,
  );
});

archiveExportRouter.get('/audit/archive/:id/package', async (c) => {
  const { deps, holder } = c.var;
  const job = await findExport(deps.store, holder.orgId, c.req.param('id'), deps.clock());
  if (!job) return problemPage(c, 404, 'Export not found.');
  const path = packageFile(deps.archive ?? defaultExportSettings, job);
  if (!path || !job.sha256 || job.bytes === null) return problemPage(c, 409, `The export is ${job.status}; only a done export has a package.`);
  return c.body(Readable.toWeb(createReadStream(path)) as unknown as ReadableStream, 200, {
    'Content-Type': 'application/x-tar',
    'Content-Length': String(job.bytes),
    'Content-Disposition': `attachment; filename="${job.format}-${job.id}.tar"`,
    'X-Checksum-SHA256': job.sha256,
    'Cache-Control': 'no-store',
  });
});
