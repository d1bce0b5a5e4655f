// The accounts pages: the register of the organisation's accounts in every state (GET /accounts),
// one account with its details, flags, timeline and the event forms its role may send
// (GET /accounts/:id), and those forms' targets (POST /accounts/:id/events, and the snapshot file
// upload POST /accounts/:id/snapshots). Which events a page offers is the machine's answer for the
// account's state; this file only knows how each event's form looks.
import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { accountView, applyAccountEvent, findAccount, type AccountRow, type StepResult } from '../../db/accounts/accounts.ts';
import { lastOutboundAt } from '../../db/accounts/account-activity.ts';
import { rowToEvent } from '../../db/ledger/ledger.ts';
import { findOrganisation, policyOf } from '../../db/organisations.ts';
import { accounts, ledgerEvents } from '../../db/schema.ts';
import { detectSnapshotFormat, uploadSnapshot } from '../../db/accounts/snapshot-files.ts';
import { accountEventRoles, accountEventSchemas, mayStepAccount } from '../../machines/account.events.ts';
import { accountEventsRefusedNow } from '../../machines/account.step.ts';
import { maxSnapshotBytes } from '../routes/accounts.contract.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { CsrfField, Layout } from './layout.tsx';
import type { PageEnv } from './page-env.ts';
import { localTime } from './format.ts';
import { ruleTextOf } from './rule-text-of.ts';

export const accountPagesRouter = new Hono<PageEnv>();

type PageContext = Context<PageEnv>;

const pageSize = 50;
const timelinePageSize = 100;
const idPattern = /^[0-9a-f-]{36}$/;

/** A machine state as a page shows it: a plain name, or the JSON of a nested state. */
const stateText = (value: unknown) => (value == null ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * How the form of each account event looks. Whether it is offered is the machine's to say; an
 * event without an entry here (AMEND's registry fields) is sent through the API. SNAPSHOT arrives
 * as a file upload of its own.
 */
type FormEvent = Exclude<keyof typeof accountEventSchemas, 'SNAPSHOT'>;

const formLabels: Partial<Record<FormEvent, string>> = {
  APPROVE: 'Approve the channel',
  KEEP: 'Keep the account (answer the review)',
  MONITORED: 'Record the channel as watched',
  SURGE_CONSULTED: 'Manager and communications unit consulted',
  CLOSE: 'Close the account',
};
const hasForm = (type: string): type is FormEvent => Object.hasOwn(formLabels, type);

async function pagePolicy(c: PageContext): Promise<Policy> {
  const org = await findOrganisation(c.var.deps.store.db, c.var.holder.orgId);
  if (!org) throw new Error(`organisation ${c.var.holder.orgId} of a signed-in key does not exist`);
  return policyOf(org);
}

/** When the next snapshot is due: the flagged period, or the start of the next period. */
export function nextSnapshotDue(policy: Policy, view: ReturnType<typeof accountView>, now: Date): { at: string; flagged: boolean } | null {
  const snapshots = policy.accounts.snapshots;
  if (!snapshots || view.status === 'closed' || view.status === 'proposed') return null;
  if (view.flags.snapshotDue) return { at: view.flags.snapshotDue.startsAt, flagged: true };
  const local = DateTime.fromJSDate(now, { zone: policy.timeZone });
  const months = [...snapshots.months].sort((a, b) => a - b);
  const month = months.find((m) => m > local.month);
  const start = month !== undefined
    ? DateTime.fromObject({ year: local.year, month, day: 1 }, { zone: policy.timeZone })
    : DateTime.fromObject({ year: local.year + 1, month: months[0]!, day: 1 }, { zone: policy.timeZone });
  return { at: start.toUTC().toISO()!, flagged: false };
}

function Flags(props: { view: ReturnType<typeof accountView>; policy: Policy }) {
  const { flags } = props.view;
  return (
    <>
      {flags.review ? <span class="badge warn">review due</span> : null}{' '}
      {flags.lastMissedDay ? (
        <span class="badge bad">missed monitoring ({flags.missedDays}, last {flags.lastMissedDay})</span>
      ) : null}{' '}
      {flags.surge ? <span class="badge warn">surge: {flags.surge.count} critical</span> : null}{' '}
      {flags.adminsShort ? <span class="badge bad">admins short</span> : null}
    </>
  );
}

function StatusBadge(props: { status: string }) {
  const tone = props.status === 'active' ? 'good' : props.status === 'closed' ? '' : 'warn';
  return <span class={`badge ${tone}`}>{props.status}</span>;
}

accountPagesRouter.get('/accounts', async (c) => {
  const db = c.var.deps.store.db;
  const policy = await pagePolicy(c);
  const now = c.var.deps.clock();
  const after = c.req.query('after');
  const rows = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.orgId, c.var.holder.orgId), after && idPattern.test(after) ? gt(accounts.id, after) : undefined))
    .orderBy(asc(accounts.id))
    .limit(pageSize + 1);
  const page = rows.slice(0, pageSize);
  const entries = await Promise.all(page.map(async (row) => {
    const view = accountView(row);
    const outbound = await lastOutboundAt(db, row.id);
    return { view, lastActivity: outbound ?? view.approvedAt, snapshot: nextSnapshotDue(policy, view, now) };
  }));
  return c.html(
    <Layout title="Accounts" holder={c.var.holder} csrf={c.var.csrf}>
      {entries.length === 0 ? <p>No accounts yet.</p> : (
        <table>
          <thead>
            <tr><th>Account</th><th>State</th><th>Last activity</th><th>Next snapshot due</th><th>Administrators</th><th>Flags</th></tr>
          </thead>
          <tbody>
            {entries.map(({ view, lastActivity, snapshot }) => (
              <tr>
                <td><a href={`/accounts/${view.id}`}>{view.platform} · {view.handle}</a></td>
                <td><StatusBadge status={view.status} /></td>
                <td>{localTime(lastActivity, policy)}</td>
                <td>{snapshot ? <>{localTime(snapshot.at, policy)}{snapshot.flagged ? <> <a class="badge bad" href={`/accounts/${view.id}#snapshot`}>due: upload</a></> : null}</> : '—'}</td>
                <td>{view.admins.map((admin) => admin.name).join(', ') || '—'}</td>
                <td><Flags view={view} policy={policy} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows.length > pageSize ? <p><a rel="next" href={`/accounts?after=${page.at(-1)!.id}`}>Next page</a></p> : null}
    </Layout>,
  );
});

interface Notice {
  status: 400 | 403 | 404 | 409 | 412;
  title: string;
  detail: string;
  rule?: string | undefined;
}

async function renderAccount(c: PageContext, row: AccountRow, notice?: Notice) {
  const db = c.var.deps.store.db;
  const policy = await pagePolicy(c);
  const view = accountView(row);
  const now = c.var.deps.clock();
  const beforeParam = Number(c.req.query('before'));
  const before = Number.isInteger(beforeParam) && beforeParam > 0 ? beforeParam : null;
  const eventRows = await db
    .select()
    .from(ledgerEvents)
    .where(and(
      eq(ledgerEvents.orgId, c.var.holder.orgId),
      eq(ledgerEvents.subjectId, row.id),
      before ? lt(ledgerEvents.seq, before) : undefined,
    ))
    .orderBy(desc(ledgerEvents.seq))
    .limit(timelinePageSize + 1);
  const events = eventRows.slice(0, timelinePageSize).map(rowToEvent);
  const outbound = await lastOutboundAt(db, row.id);
  const snapshot = nextSnapshotDue(policy, view, now);
  const role = c.var.holder.role;
  // The machine's allowed events, then those its rules refuse now (CLOSE before the final
  // snapshot, AV-13): sending one shows the rule that stands in the way.
  const refusedNow = accountEventsRefusedNow({ machine: row.machine, value: row.state, context: row.context });
  const offered = [...new Set([...view.allowedEvents, ...refusedNow])].filter(hasForm).filter((type) => mayStepAccount(role, type));
  const mayUpload = view.allowedEvents.includes('SNAPSHOT') && mayStepAccount(role, 'SNAPSHOT');
  const text = notice?.rule ? ruleTextOf(policy, notice.rule) : null;
  return c.html(
    <Layout title={`Account ${view.platform} · ${view.handle}`} holder={c.var.holder} csrf={c.var.csrf}>
      {notice ? (
        <div class="error" role="alert">
          <strong>{notice.title}</strong>
          {notice.rule ? <> — rule <code class="rule">{notice.rule}</code></> : null}
          <p>{notice.detail}</p>
          {text ? <blockquote>{notice.rule}: {text}</blockquote> : null}
        </div>
      ) : null}
      <p><StatusBadge status={view.status} /> <Flags view={view} policy={policy} /></p>
      <table>
        <tbody>
          <tr><th>State</th><td>{stateText(view.state)} (machine {view.machine}, version {view.version})</td></tr>
          <tr><th>Address</th><td>{view.url && /^https?:\/\//i.test(view.url) ? <a href={view.url} rel="noopener noreferrer">{view.url}</a> : (view.url ?? '—')}</td></tr>
          <tr><th>Purpose</th><td>{view.purpose ?? '—'}</td></tr>
          <tr><th>Audience</th><td>{view.audience ?? '—'}</td></tr>
          <tr><th>Owner unit</th><td>{view.ownerUnit ?? '—'}</td></tr>
          <tr><th>Responsible</th><td>{view.responsible?.name ?? '—'}</td></tr>
          <tr><th>Substitute</th><td>{view.substitute?.name ?? '—'}</td></tr>
          <tr><th>Administrators</th><td>{view.admins.map((admin) => admin.name).join(', ') || '—'}</td></tr>
          <tr><th>Profile</th><td>{Object.entries(view.profile).map(([item, shown]) => `${item} ${shown ? '✓' : '✗'}`).join(' · ')}</td></tr>
          <tr><th>Approved</th><td>{localTime(view.approvedAt, policy)}</td></tr>
          <tr><th>Last activity</th><td>{localTime(outbound ?? view.approvedAt, policy)}</td></tr>
          <tr><th>Last snapshot</th><td>{view.lastSnapshot ? `${localTime(view.lastSnapshot.takenAt, policy)} (${view.lastSnapshot.format}${view.lastSnapshot.final ? ', final' : ''})` : '—'}</td></tr>
          <tr><th>Next snapshot due</th><td>{snapshot ? `${localTime(snapshot.at, policy)}${snapshot.flagged ? ' (due now)' : ''}` : '—'}</td></tr>
          {view.flags.review ? <tr><th>Review</th><td>since {localTime(view.flags.review.since, policy)}</td></tr> : null}
          {view.closing ? <tr><th>Closing</th><td>{localTime(view.closing.at, policy)}: {view.closing.reason}</td></tr> : null}
        </tbody>
      </table>

      <h2>Actions</h2>
      {mayUpload ? (
        <form method="post" action={`/accounts/${view.id}/snapshots`} enctype="multipart/form-data" id="snapshot" class="upload">
          <fieldset>
            <legend>{snapshot?.flagged ? 'Upload the snapshot that is due (SNAPSHOT)' : 'Upload a snapshot of the channel (SNAPSHOT)'}</legend>
            <CsrfField token={c.var.csrf} />
            <input type="hidden" name="version" value={String(view.version)} />
            <label>File (PDF or PNG, up to {Math.round(maxSnapshotBytes / 1024 / 1024)} MiB){' '}
              <input type="file" name="file" accept="application/pdf,image/png,.pdf,.png" required />
            </label>
            <label>Taken on (local; empty for now) <input type="date" name="takenOn" /></label>
            <label class="check"><input type="checkbox" name="final" value="true" /> The final snapshot before closing (AV-13)</label>
            <button type="submit">Upload</button>
          </fieldset>
        </form>
      ) : null}
      {offered.length === 0 && !mayUpload ? <p>Your role ({role}) has nothing to do on this account now.</p> : offered.map((type) => (
        <form method="post" action={`/accounts/${view.id}/events`}>
          <fieldset>
            <legend>{formLabels[type]} ({type}){refusedNow.includes(type) ? ' — a rule refuses this now' : ''}</legend>
            <CsrfField token={c.var.csrf} />
            <input type="hidden" name="type" value={type} />
            <input type="hidden" name="version" value={String(view.version)} />
            {type === 'CLOSE' ? <label>Reason <input type="text" name="reason" required maxlength={2000} /></label> : null}
            {type === 'MONITORED' ? <label>Day (local; empty for today) <input type="date" name="day" /></label> : null}
            <button type="submit">{type}</button>
          </fieldset>
        </form>
      ))}

      <h2>Timeline</h2>
      <table class="timeline">
        <thead><tr><th>Seq</th><th>Event</th><th>Role</th><th>When</th><th>From → to</th><th>Payload</th><th>Hash</th></tr></thead>
        <tbody>
          {events.map((event) => (
            <tr>
              <td>{event.seq}</td>
              <td>{event.type}</td>
              <td>{event.actor.role}</td>
              <td><time datetime={event.at}>{localTime(event.at, policy)}</time></td>
              <td>{stateText(event.from)} → {stateText(event.to)}</td>
              <td><code>{JSON.stringify(event.payload)}</code></td>
              <td><code title={event.hash}>{event.hash.slice(0, 16)}…</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      {eventRows.length > timelinePageSize ? (
        <p><a rel="next" href={`/accounts/${view.id}?before=${events.at(-1)!.seq}`}>Earlier events</a></p>
      ) : null}
    </Layout>,
    notice?.status ?? 200,
  );
}

function notFoundPage(c: PageContext) {
  return c.html(
    <Layout title="Account not found" holder={c.var.holder} csrf={c.var.csrf}>
      <p>There is no such account in your organisation. <a href="/accounts">All accounts</a></p>
    </Layout>,
    404,
  );
}

accountPagesRouter.get('/accounts/:id', async (c) => {
  const row = await findAccount(c.var.deps.store.db, c.var.holder.orgId, c.req.param('id'));
  if (!row) return notFoundPage(c);
  return renderAccount(c, row);
});

accountPagesRouter.post('/accounts/:id/events', async (c) => {
  const store = c.var.deps.store;
  const id = c.req.param('id');
  const row = await findAccount(store.db, c.var.holder.orgId, id);
  if (!row) return notFoundPage(c);
  const form = await c.req.parseBody();
  const type = String(form.type ?? '');
  if (!hasForm(type)) {
    return renderAccount(c, row, { status: 400, title: 'Unknown event', detail: `The form sent an event this page does not offer: ${type}.` });
  }
  const eventType = type;
  const role = c.var.holder.role;
  if (!mayStepAccount(role, eventType)) {
    return renderAccount(c, row, {
      status: 403, title: 'Not your role',
      detail: `The role ${role} may not send ${eventType}; allowed: ${accountEventRoles[eventType].join(', ')}.`,
    });
  }
  const body: Record<string, unknown> = { type: eventType };
  for (const field of ['reason', 'day'] as const) {
    const value = typeof form[field] === 'string' ? (form[field] as string).trim() : '';
    if (value) body[field] = value;
  }
  const parsed = accountEventSchemas[eventType].safeParse(body);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'form'}: ${issue.message}`).join('; ');
    return renderAccount(c, row, { status: 400, title: 'The form is not valid', detail });
  }
  const versionText = String(form.version ?? '');
  const ifMatch = /^\d{1,9}$/.test(versionText) ? Number(versionText) : null;
  const result = await applyAccountEvent(store, {
    orgId: c.var.holder.orgId,
    accountId: id,
    actor: { keyId: c.var.holder.keyId, role },
    now: c.var.deps.clock(),
    ifMatch,
    policy: await pagePolicy(c),
    event: parsed.data,
  });
  if (result.ok) return c.redirect(`/accounts/${id}`, 303);
  return renderRefusal(c, row, eventType, result);
});

/** A refused or failed step, shown on the account as it stands now. */
async function renderRefusal(c: PageContext, row: AccountRow, eventType: string, result: Exclude<StepResult, { ok: true }>) {
  const current = (await findAccount(c.var.deps.store.db, c.var.holder.orgId, row.id)) ?? row;
  switch (result.code) {
    case 'not_found':
      return notFoundPage(c);
    case 'refused':
      return renderAccount(c, current, { status: 409, title: `${eventType} refused`, detail: result.detail, rule: String(result.rule) });
    case 'not_allowed':
      return renderAccount(c, current, { status: 409, title: `${eventType} is not possible now`, detail: result.detail });
    case 'precondition_failed':
      return renderAccount(c, current, {
        status: 412, title: 'The account changed meanwhile', detail: `${result.detail} Review it below and send the form again.`,
      });
    default:
      return renderAccount(c, current, { status: 400, title: 'The form is not valid', detail: result.detail });
  }
}

/** The snapshot upload: the file's format from its bytes, then the same write as the API's upload. */
accountPagesRouter.post('/accounts/:id/snapshots', async (c) => {
  const id = c.req.param('id');
  const row = await findAccount(c.var.deps.store.db, c.var.holder.orgId, id);
  if (!row) return notFoundPage(c);
  const role = c.var.holder.role;
  if (!mayStepAccount(role, 'SNAPSHOT')) {
    return renderAccount(c, row, {
      status: 403, title: 'Not your role', detail: `The role ${role} may not send SNAPSHOT; allowed: ${accountEventRoles.SNAPSHOT.join(', ')}.`,
    });
  }
  const form = await c.req.parseBody();
  const file = form.file;
  const invalid = (detail: string) => renderAccount(c, row, { status: 400, title: 'The upload is not valid', detail });
  if (!(file instanceof File) || file.size === 0) return invalid('Choose a PDF or PNG file to upload.');
  const bytes = Buffer.from(await file.arrayBuffer());
  const format = detectSnapshotFormat(bytes);
  if (!format) return invalid(`The file ${file.name} is neither a PDF nor a PNG.`);
  const policy = await pagePolicy(c);
  const now = c.var.deps.clock();
  const takenOn = typeof form.takenOn === 'string' ? form.takenOn.trim() : '';
  let takenAt = now;
  if (takenOn) {
    const day = DateTime.fromISO(takenOn, { zone: policy.timeZone });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(takenOn) || !day.isValid) return invalid(`takenOn: not a date: ${takenOn}.`);
    // A day in the past counts from its noon, today from now: never in the future.
    takenAt = new Date(Math.min(day.set({ hour: 12 }).toMillis(), now.getTime()));
    if (day.startOf('day').toMillis() > now.getTime()) return invalid('takenOn: the day is in the future.');
  }
  const versionText = String(form.version ?? '');
  const result = await uploadSnapshot(c.var.deps.store, {
    orgId: c.var.holder.orgId, accountId: id, actor: { keyId: c.var.holder.keyId, role }, bytes,
    mediaType: format === 'png' ? 'image/png' : 'application/pdf', format, takenAt, final: form.final === 'true',
    ifMatch: /^\d{1,9}$/.test(versionText) ? Number(versionText) : null, now,
  });
  if (result.ok) return c.redirect(`/accounts/${id}`, 303);
  return renderRefusal(c, row, 'SNAPSHOT', result);
});
