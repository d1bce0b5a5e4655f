// The item page: content (or when and under what it was thinned), the statechart with the current
// state highlighted, the allowed next events as forms, the deadlines, the timeline, and replay
// with its verification badge (GET /items/:id, POST /items/:id/events).
import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import type { Db } from '../../db/client.ts';
import type { ItemView } from '../../db/items/item-view.ts';
import { findItem, viewOf } from '../../db/items/items.ts';
import { eventContentsOf, wordsOf, type EventWords } from '../../db/items/event-words.ts';
import { eventHash, subjectHistory, type ChainedEvent } from '../../db/ledger/ledger.ts';
import { findOrganisation, policyOf } from '../../db/organisations.ts';
import type { Failure } from '../../db/write/outcome.ts';
import { replayItem, type ReplayResult } from '../../db/ledger/replay.ts';
import { maySend, type ItemV2EventBody, type ItemV2EventType } from '../../machines/item.events.ts';
import { categoriesOf, type Policy } from '../../machines/policy/policy.schema.ts';
import { itemEventRefusal } from '../auth.ts';
import { deadlineText, localTime } from './format.ts';
import { SaidOnItem, Timeline } from './item-timeline.tsx';
import { EventForm, eventFromForm, fieldsOf, isEventType, type FormIssue } from './item-forms.tsx';
import { Statechart } from './item-statechart.tsx';
import { itemPageVersion, type ItemPageVersion } from './item-versions.ts';
import { Layout } from './layout.tsx';
import type { PageEnv } from './page-env.ts';
import { ruleTextOf } from './rule-text-of.ts';
import { chartOf, type ChartModel } from './statechart.ts';

export const itemPageRouter = new Hono<PageEnv>();

type PageProblem =
  | { kind: 'invalid'; type: string; detail: string; issues: FormIssue[]; values?: Record<string, unknown> }
  | { kind: 'refused'; type: string; rule: string; detail: string }
  | { kind: 'other'; type: string; detail: string };

type PageContext = Context<PageEnv>;

const compact = (value: unknown) => (value === undefined ? '' : JSON.stringify(value));

function NotFoundPage(props: { c: PageContext }) {
  return (
    <Layout title="Item not found" holder={props.c.var.holder} csrf={props.c.var.csrf}>
      <p>There is no such item in your organisation.</p>
      <p><a href="/items">All items</a></p>
    </Layout>
  );
}

/** Each of the item's links recomputed: its hash over its own fields, and seq 1, 2, 3 … without gaps. */
export function chainIntact(events: ChainedEvent[]): { intact: boolean; broken: number[] } {
  const broken = events.flatMap((event, i) => {
    const { hash, ...link } = event;
    return eventHash(link) === hash && event.seq === i + 1 ? [] : [event.seq];
  });
  return { intact: events.length > 0 && broken.length === 0, broken };
}

/** asOf from the query: an instant with its offset, a datetime-local in the org's zone, or an event's seq. */
function parseAsOf(
  query: { asOf?: string | undefined; seq?: string | undefined },
  events: ChainedEvent[],
  policy: Policy,
): { at: Date; label: string } | { error: string } | null {
  if (query.seq !== undefined && query.seq !== '') {
    const seq = Number(query.seq);
    const event = events.find((e) => e.seq === seq);
    return event ? { at: new Date(event.at), label: event.at } : { error: `There is no event ${query.seq}.` };
  }
  const raw = query.asOf?.trim();
  if (!raw) return null;
  if (raw.length > 40) return { error: 'That is not an instant.' };
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(raw);
  const parsed = withZone ? DateTime.fromISO(raw, { setZone: true }) : DateTime.fromISO(raw, { zone: policy.timeZone });
  if (!parsed.isValid) return { error: `"${raw}" is not an ISO 8601 instant or a local date and time.` };
  return { at: parsed.toJSDate(), label: parsed.toUTC().toISO() ?? raw };
}

/** Events the item's chart would take now but a rule refuses: shown apart, each with its rule. */
function guardedEvents(item: ItemView, context: unknown, version: ItemPageVersion): Array<{ type: ItemV2EventType; rule: string | null }> {
  const withoutRules = version.withoutRules.resolveState({ value: item.state as never, context });
  return (Object.keys(version.schemas) as ItemV2EventType[])
    .filter((type) => !item.allowedEvents.includes(type) && withoutRules.can({ type } as never))
    .map((type) => ({ type, rule: version.refusal(context, type)?.rule ?? null }));
}

/** The page's view of the version an item or a ledger link names; a version it does not know is a bug. */
function versionOf(id: string): ItemPageVersion {
  const version = itemPageVersion(id);
  if (!version) throw new Error(`The item page does not know the machine version ${id}.`);
  return version;
}

interface PageData {
  item: ItemView;
  version: ItemPageVersion;
  context: unknown;
  policy: Policy;
  events: ChainedEvent[];
  verification: ReplayResult;
  replay: { asOf: string; result: ReplayResult } | { error: string } | null;
  /** The municipality's words per event seq, until thinned. */
  words: Map<number, EventWords>;
  /** The laid-out statecharts of the item's version and of the replay's version (laid out once per machine). */
  charts: { current: ChartModel; replay: ChartModel };
}

async function loadPage(db: Db, c: PageContext, id: string): Promise<PageData | null> {
  const { holder, deps } = c.var;
  const row = await findItem(db, holder.orgId, id);
  const org = row ? await findOrganisation(db, holder.orgId) : null;
  if (!row || !org) return null;
  const policy = policyOf(org);
  const [item, events, kept] = await Promise.all([viewOf(db, row), subjectHistory(db, holder.orgId, id), eventContentsOf(db, holder.orgId, [id])]);
  const words = new Map(events.flatMap((event) => {
    const said = wordsOf(event, kept);
    return said ? [[event.seq, said] as const] : [];
  }));
  const verification = (await replayItem(db, holder.orgId, id, deps.clock()))!;
  const asOf = parseAsOf({ asOf: c.req.query('asOf'), seq: c.req.query('seq') }, events, policy);
  let replay: PageData['replay'] = null;
  if (asOf && 'error' in asOf) replay = asOf;
  else if (asOf) replay = { asOf: asOf.at.toISOString(), result: (await replayItem(db, holder.orgId, id, asOf.at))! };
  const data = { item, version: versionOf(row.machine), context: row.context, policy, events, verification, replay, words };
  const [current, replayChart] = await Promise.all([chartOf(data.version.machine), chartOf(replayMachine(data).machine)]);
  return { ...data, charts: { current, replay: replayChart } };
}

function ItemPage(props: { c: PageContext; data: PageData; problem?: PageProblem | undefined }) {
  const { c, data, problem } = props;
  const { item, policy, events } = data;
  const holder = c.var.holder;
  const t = (iso: string | null | undefined) => localTime(iso, policy);
  const thin = [...events].reverse().find((e) => e.type === 'THIN');
  const { version } = data;
  const actions = item.allowedEvents.filter((type): type is ItemV2EventType => isEventType(type, version) && maySend(holder.role, type));
  const guarded = guardedEvents(item, data.context, version).filter((g) => maySend(holder.role, g.type));
  const facts = { version, direction: item.direction };
  const chain = chainIntact(events);
  const verified = data.verification.matchesStored && chain.intact;
  const categories = categoriesOf(policy);
  const lastSeq = events.at(-1)?.seq ?? 1;
  const replaySeq = data.replay && 'result' in data.replay ? Math.max(1, data.replay.result.eventsApplied) : lastSeq;
  return (
    <Layout title={`Item ${item.externalId}`} holder={holder} csrf={c.var.csrf}>
      <p>
        <span class="badge">{item.status}</span> <span class="badge">{item.kind}</span>{' '}
        <span class="badge">{item.direction}</span> version <strong>{item.version}</strong> · received {t(item.receivedAt)} ·
        account <a href={`/accounts/${encodeURIComponent(item.accountId)}`}>{item.accountId}</a> · <code>{item.id}</code>
      </p>

      {problem ? <ProblemBox policy={policy} problem={problem} /> : null}

      <section id="content">
        <h2>Content</h2>
        {item.content ? (
          <blockquote class="content">
            <p class="text">{item.content.text}</p>
            <footer>
              — {authorLabel(item.content.author)}
              {item.content.url ? <> · <a href={safeUrl(item.content.url)} rel="noopener noreferrer">{item.content.url}</a></> : null}
            </footer>
          </blockquote>
        ) : thin ? (
          <p class="badge warn" id="thinned">
            {`Thinned on ${t(thin.at)} under ${thinGround(thin.payload)}`}
            {typeof thin.payload.reason === 'string' ? ` — ${thin.payload.reason}` : ''}
          </p>
        ) : (
          <p class="badge warn">The content is not available.</p>
        )}
        {item.assessment ? (
          <p>
            Assessed: <strong>{item.assessment.decision}</strong>
            {item.assessment.categories.length ? ` (${item.assessment.categories.join(', ')})` : ''} · registration{' '}
            {item.assessment.registration ?? '—'}
          </p>
        ) : null}
        <SaidOnItem events={events} words={data.words} policy={policy} />
        {item.registration ? <p>Registered as <strong>{item.registration.number}</strong>{item.registration.caseRef ? ` in case ${item.registration.caseRef}` : ''}</p> : null}
        {item.hold ? <p class="badge bad">On hold: {item.hold.reason}</p> : null}
        <p>Evidence captured: {item.evidenceCaptured ? 'yes' : 'no'}</p>
      </section>

      <section id="statechart">
        <h2>Where it stands</h2>
        <p>State: <code>{compact(item.state)}</code> ({item.machine})</p>
        <Statechart state={item.state} title="Current state" model={data.charts.current} name={version.id} allowed={item.allowedEvents} />
      </section>

      <section id="actions">
        <h2>Next steps</h2>
        {actions.length === 0 ? (
          <p>{`Nothing the role ${holder.role} may do on this item now.`}</p>
        ) : (
          actions.map((type) => (
            <EventForm
              itemId={item.id} type={type} fields={fieldsOf(type, facts)} version={item.version} csrf={c.var.csrf} categories={categories}
              values={problem?.kind === 'invalid' && problem.type === type ? problem.values : undefined}
              proposedRegistration={item.proposedRegistration}
            />
          ))
        )}
        {guarded.length ? (
          <details id="guarded">
            <summary>{`Steps a rule refuses now (${guarded.map((g) => g.type).join(', ')})`}</summary>
            {guarded.map((g) => (
              <EventForm
                itemId={item.id} type={g.type} fields={fieldsOf(g.type, facts)} version={item.version} csrf={c.var.csrf} categories={categories}
                proposedRegistration={item.proposedRegistration}
                note={g.rule ? `Refused now under ${g.rule}: ${ruleTextOf(policy, g.rule) ?? ''}` : 'Refused now by a rule'}
              />
            ))}
          </details>
        ) : null}
      </section>

      <section id="deadlines">
        <h2>Deadlines</h2>
        {item.deadlines.length === 0 ? <p>No deadlines.</p> : (
          <table>
            <thead><tr><th>Kind</th><th>Due</th><th>Status</th></tr></thead>
            <tbody>
              {item.deadlines.map((d) => (
                <tr>
                  <td>{d.kind}</td>
                  <td><time datetime={d.dueAt} title={t(d.dueAt)}>{deadlineText(d.dueAt, policy, c.var.deps.clock())}</time></td>
                  <td><span class={`badge ${d.status === 'breached' ? 'bad' : d.status === 'open' ? 'warn' : 'good'}`}>{d.status}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section id="timeline">
        <h2>Timeline</h2>
        <Timeline events={events} words={data.words} policy={policy} />
      </section>

      <section id="replay">
        <h2>Replay</h2>
        <p id="verification">
          {verified ? (
            <span class="badge good">{`Verified: replay of ${data.verification.eventsApplied} events matches the stored state; the item's ${events.length} links are intact`}</span>
          ) : (
            <span class="badge bad">
              {`Not verified: replay ${data.verification.matchesStored ? 'matches' : 'does NOT match'} the stored state; ${chain.intact ? 'links intact' : `links broken at seq ${chain.broken.join(', ')}`}`}
              {data.verification.problem ? ` (${data.verification.problem})` : ''}
            </span>
          )}
        </p>
        <form method="get" action={`/items/${encodeURIComponent(item.id)}#replay`}>
          <label>
            As of (ISO instant, or local date and time in {policy.timeZone}){' '}
            <input type="text" name="asOf" placeholder="2026-11-23T10:00:00Z" maxlength={40}
              value={data.replay && 'asOf' in data.replay ? data.replay.asOf : ''} list="event-instants" />
          </label>
          <datalist id="event-instants">
            {events.map((e) => <option value={e.at}>{`#${e.seq} ${e.type}`}</option>)}
          </datalist>
          <button type="submit">Replay</button>
        </form>
        <form method="get" action={`/items/${encodeURIComponent(item.id)}#replay`}>
          <label>
            {`Through event 1 … ${lastSeq}`}{' '}
            <input type="range" name="seq" min="1" max={String(lastSeq)} step="1" value={String(replaySeq)} list="event-seqs" />
          </label>
          <datalist id="event-seqs">{events.map((e) => <option value={String(e.seq)} label={e.at} />)}</datalist>
          <button type="submit">Replay to that event</button>
        </form>
        <ReplayView replay={data.replay} policy={policy} machine={replayMachine(data)} chart={data.charts.replay} />
        {['auditor', 'admin'].includes(c.var.holder.role) ? (
          <p><a id="export-link" href={`/audit/export?itemId=${encodeURIComponent(item.id)}`}>Export this item as a package</a></p>
        ) : null}
      </section>
    </Layout>
  );
}

/** The version the replayed state stands under: the one the last replayed link names. */
function replayMachine(data: Pick<PageData, 'replay' | 'events' | 'version'>): ItemPageVersion {
  if (!data.replay || !('result' in data.replay)) return data.version;
  const last = data.events[data.replay.result.eventsApplied - 1];
  return last ? versionOf(last.machine) : data.version;
}

function ReplayView(props: { replay: PageData['replay']; policy: Policy; machine: ItemPageVersion; chart: ChartModel }) {
  const { replay } = props;
  if (!replay) return <p>Choose an instant to see the item as it stood then.</p>;
  if ('error' in replay) return <p class="error" role="alert">{replay.error}</p>;
  const { result } = replay;
  return (
    <div id="replay-result">
      <p>
        {`As of ${localTime(replay.asOf, props.policy)} (${replay.asOf}): `}
        {result.eventsApplied === 0 ? 'the item did not exist yet.' : (
          <>
            status <strong class="replay-status">{result.status ?? '—'}</strong>, state <code class="replay-state">{compact(result.state)}</code>
            {`, after ${result.eventsApplied} events`}
          </>
        )}
      </p>
      {result.problem ? <p class="error">{result.problem}</p> : null}
      {result.eventsApplied > 0 ? <Statechart state={result.state} title="As of replay" model={props.chart} name={props.machine.id} /> : null}
    </div>
  );
}

function ProblemBox(props: { problem: PageProblem; policy: Policy }) {
  const { problem } = props;
  return (
    <div class="error" role="alert" id="problem">
      {problem.kind === 'refused' ? (
        <>
          <p><strong>{`${problem.type} refused under ${problem.rule}`}</strong>: {problem.detail}</p>
          <p class="rule"><strong>{problem.rule}</strong>: {ruleTextOf(props.policy, problem.rule) ?? '(this rule id is neither the policy\'s nor in RULES.md)'}</p>
        </>
      ) : problem.kind === 'invalid' ? (
        <>
          <p><strong>{`${problem.type}: ${problem.detail}`}</strong></p>
          <ul>{problem.issues.map((issue) => <li><code>{issue.path || '(form)'}</code>: {issue.message}</li>)}</ul>
        </>
      ) : (
        <p><strong>{problem.type}</strong>: {problem.detail}</p>
      )}
    </div>
  );
}

function authorLabel(author: unknown): string {
  if (author && typeof author === 'object') {
    const { handle, name } = author as { handle?: unknown; name?: unknown };
    const h = typeof handle === 'string' ? `@${handle}` : '';
    return typeof name === 'string' ? `${name} (${h})` : h || 'unknown author';
  }
  return 'unknown author';
}

/** Only http(s) links become hrefs; anything else (javascript:, data:) is not followed. */
const safeUrl = (url: string) => (/^https?:\/\//i.test(url) ? url : '#');

function thinGround(payload: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof payload.rule === 'string') parts.push(payload.rule);
  if (typeof payload.decisionId === 'string') parts.push(`decision ${payload.decisionId}`);
  return parts.length ? parts.join(', ') : 'a registrar\'s decision';
}

async function renderItem(c: PageContext, status: 200 | 400 | 403 | 409 | 404, problem?: PageProblem) {
  const id = c.req.param('id') ?? '';
  const data = await loadPage(c.var.deps.store.db, c, id);
  if (!data) return c.html(<NotFoundPage c={c} />, 404);
  return c.html(<ItemPage c={c} data={data} problem={problem} />, status);
}

itemPageRouter.get('/items/:id', async (c) => {
  const id = c.req.param('id');
  if (id.length > 64) return c.html(<NotFoundPage c={c} />, 404);
  const data = await loadPage(c.var.deps.store.db, c, id);
  if (!data) return c.html(<NotFoundPage c={c} />, 404);
  return c.html(<ItemPage c={c} data={data} />, data.replay && 'error' in data.replay ? 400 : 200);
});

itemPageRouter.post('/items/:id/events', async (c) => {
  const { holder, deps } = c.var;
  const id = c.req.param('id');
  const row = id.length > 64 ? undefined : await findItem(deps.store.db, holder.orgId, id);
  if (!row) return c.html(<NotFoundPage c={c} />, 404);
  // The form is read and checked under the machine version the item steps under.
  const machine = versionOf(row.machine);
  const form = await c.req.parseBody({ all: true });
  const type = typeof form.type === 'string' ? form.type : '';
  if (!isEventType(type, machine)) {
    return renderItem(c, 400, { kind: 'invalid', type: type || 'event', detail: 'Unknown event type.', issues: [{ path: 'type', message: 'not an item event' }] });
  }
  const refusal = itemEventRefusal(holder.role, type);
  if (refusal) return renderItem(c, 403, { kind: 'other', type, detail: refusal });
  const values = eventFromForm(type, form, fieldsOf(type, { version: machine, direction: row.direction }));
  const versionText = typeof form.version === 'string' ? form.version : '';
  const version = /^[1-9]\d{0,9}$/.test(versionText) ? Number(versionText) : null;
  const parsed = machine.schemas[type]!.safeParse(values);
  const issues: FormIssue[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  if (version === null) issues.push({ path: 'version', message: 'the version the page showed is missing; reload the page' });
  if (!parsed.success || version === null) {
    return renderItem(c, 400, { kind: 'invalid', type, detail: 'The form has errors.', issues, values });
  }
  const result = await applyItemEvent(deps.store, {
    orgId: holder.orgId, itemId: id, actor: { keyId: holder.keyId, role: holder.role },
    event: parsed.data as ItemV2EventBody, ifMatch: version, idempotency: null, now: deps.clock(),
  });
  if (result.ok) return c.redirect(`/items/${encodeURIComponent(id)}`, 303);
  return failurePage(c, type, result, values);
});

function failurePage(c: PageContext, type: ItemV2EventType, failure: Failure, values: Record<string, unknown>) {
  switch (failure.code) {
    case 'refused':
      return renderItem(c, 409, { kind: 'refused', type, rule: String(failure.rule), detail: failure.detail });
    case 'invalid':
      return renderItem(c, 400, { kind: 'invalid', type, detail: failure.detail, issues: failure.errors ?? [], values });
    case 'precondition_failed':
      return renderItem(c, 409, {
        kind: 'other', type, detail: `The item changed while you were looking at it (it is now at version ${failure.current}); check it and try again.`,
      });
    case 'not_allowed':
      return renderItem(c, 409, { kind: 'other', type, detail: failure.detail });
    case 'not_found':
      return c.html(<NotFoundPage c={c} />, 404);
    default:
      return renderItem(c, 409, { kind: 'other', type, detail: failure.detail });
  }
}

