// The item events as HTML forms: which fields each event type has under the item's own machine
// version (and direction), how a posted form becomes the event body that version's schemas
// validate, and the forms themselves.
import type { ItemV2EventType } from '../../machines/item.events.ts';
import type { ItemPageVersion } from './item-versions.ts';
import { CsrfField } from './layout.tsx';

export type Field =
  | { name: string; label: string; kind: 'text' | 'textarea' | 'date'; optional?: boolean }
  | { name: string; label: string; kind: 'select'; options: readonly string[] }
  | { name: string; label: string; kind: 'checkboxes'; options: 'categories' }
  | { name: string; label: string; kind: 'flag' };

const reason: Field = { name: 'reason', label: 'Reason', kind: 'text' };

/** The fields of each event as item@2 knows them; fieldsOf adapts ASSESS to the item's version and direction. */
export const eventFields: Record<ItemV2EventType, Field[]> = {
  ASSESS: [
    { name: 'decision', label: 'Decision', kind: 'select', options: [] },
    { name: 'categories', label: 'Categories', kind: 'checkboxes', options: 'categories' },
    { name: 'registration', label: 'Registration', kind: 'select', options: ['not_required', 'required'] },
    { name: 'note', label: 'Note', kind: 'textarea', optional: true },
  ],
  ACKNOWLEDGE: [{ name: 'text', label: 'Acknowledgement', kind: 'textarea' }],
  ANSWER: [
    { name: 'text', label: 'Answer', kind: 'textarea' },
    { name: 'referredTo', label: 'Referred to', kind: 'text', optional: true },
  ],
  FORWARD: [{ name: 'to', label: 'Forward to', kind: 'text' }],
  NOTIFY_AUTHOR: [{ name: 'text', label: 'Message to the author', kind: 'textarea' }],
  CAPTURE_EVIDENCE: [{ name: 'evidenceSha256', label: 'Evidence sha256 (empty: capture the content now)', kind: 'text', optional: true }],
  UNPUBLISH: [reason, { name: 'categories', label: 'Categories', kind: 'checkboxes', options: 'categories' }],
  REGISTER: [
    { name: 'number', label: 'Registration number', kind: 'text' },
    { name: 'caseRef', label: 'Case reference', kind: 'text', optional: true },
  ],
  CLOSE_CONVERSATION: [],
  HOLD: [reason],
  RELEASE_HOLD: [reason],
  THIN: [reason],
  DEADLINE_BREACHED: [
    { name: 'deadline', label: 'Deadline', kind: 'text' },
    { name: 'dueAt', label: 'Due at', kind: 'text' },
  ],
  // TI-6, UP-2
  REFER: [{ name: 'to', label: 'Refer to (the responsible authority)', kind: 'text' }],
  // TI-7, LI-2
  CORRECT: [
    { name: 'text', label: 'Corrected text', kind: 'textarea' },
    { name: 'note', label: 'Note on the correction', kind: 'textarea', optional: true },
  ],
  // UP-4 step 3
  SEND_TO_REGISTRAR: [reason],
};

/** AV-4, LI-1, LI-6, UP-7: what the officer checked in an own post, as `checks` of ASSESS. */
const outboundCheckFields: Field[] = [
  { name: 'checks.personalIdentityNumbers', label: 'Contains personal identity numbers', kind: 'flag' },
  { name: 'checks.offenceData', label: 'Contains data on offences', kind: 'flag' },
  { name: 'checks.sensitiveData', label: 'Contains sensitive personal data', kind: 'flag' },
  { name: 'checks.consentRef', label: 'Reference to the documented consent', kind: 'text', optional: true },
  { name: 'checks.linkToSite', label: 'Links to the organisation\'s website', kind: 'flag' },
  { name: 'checks.imagesOfPeople', label: 'Shows images of people', kind: 'flag' },
  { name: 'checks.clientRelationship', label: 'Reveals a client relationship', kind: 'flag' },
  { name: 'checks.language', label: 'Language (ISO 639 code)', kind: 'text', optional: true },
  { name: 'checks.languageCover.name', label: 'Colleague answering in that language', kind: 'text', optional: true },
  { name: 'checks.languageCover.until', label: 'Answering in that language until', kind: 'date', optional: true },
];

/** What decides an item's forms: the machine version it steps under, and its direction. */
export interface FormFacts {
  version: ItemPageVersion;
  direction: string;
}

/** The fields of an event for this item: its version's decisions, and the checks for an own post. */
export function fieldsOf(type: ItemV2EventType, facts: FormFacts): Field[] {
  const fields = eventFields[type];
  if (type !== 'ASSESS') return fields;
  const withDecisions = fields.map((field): Field =>
    field.name === 'decision' ? { ...field, kind: 'select', options: facts.version.decisions } : field);
  if (!facts.version.outboundChecks || facts.direction !== 'outbound') return withDecisions;
  return [...withDecisions.slice(0, -1), ...outboundCheckFields, ...withDecisions.slice(-1)];
}

export const isEventType = (type: unknown, version: ItemPageVersion): type is ItemV2EventType =>
  typeof type === 'string' && Object.hasOwn(version.schemas, type);

type FormBody = Record<string, string | File | Array<string | File>>;

const one = (value: FormBody[string] | undefined): string | undefined => {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof v === 'string' ? v : undefined;
};

/** Sets a dotted name ("checks.languageCover.name") in a nested object. */
function setPath(target: Record<string, unknown>, name: string, value: unknown) {
  const keys = name.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/** A dotted name's value in a nested object. */
function getPath(source: Record<string, unknown>, name: string): unknown {
  let node: unknown = source;
  for (const key of name.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/**
 * The posted form as the event body: empty optional fields are left out, checkboxes are a list,
 * a flag is true when ticked, and dotted names nest (`checks.language` → `checks: { language }`).
 */
export function eventFromForm(type: ItemV2EventType, form: FormBody, fields: Field[] = eventFields[type]): Record<string, unknown> {
  const event: Record<string, unknown> = { type };
  for (const field of fields) {
    const value = form[field.name];
    if (field.kind === 'checkboxes') {
      const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
      setPath(event, field.name, list.filter((v): v is string => typeof v === 'string'));
      continue;
    }
    const text = one(value);
    if (field.kind === 'flag') {
      setPath(event, field.name, text !== undefined && text !== '');
      continue;
    }
    if (field.kind !== 'select' && field.optional && (text === undefined || text.trim() === '')) continue;
    setPath(event, field.name, text ?? '');
  }
  return event;
}

export interface FormIssue {
  path: string;
  message: string;
}

export function EventForm(props: {
  itemId: string;
  type: ItemV2EventType;
  fields: Field[];
  version: number;
  csrf: string;
  categories: readonly string[];
  note?: string | undefined;
  values?: Record<string, unknown> | undefined;
  /** AV-12: the registration the policy proposes for the item's kind; the select starts from it. */
  proposedRegistration?: string | null | undefined;
}) {
  const { fields, proposedRegistration } = props;
  const values = props.values ?? (proposedRegistration ? { registration: proposedRegistration } : {});
  const valueOf = (name: string) => {
    const value = getPath(values, name);
    return typeof value === 'string' ? value : '';
  };
  const checked = (name: string, option: string) => {
    const value = getPath(values, name);
    return Array.isArray(value) && value.includes(option);
  };
  return (
    <form method="post" action={`/items/${encodeURIComponent(props.itemId)}/events`} class="event-form" data-event={props.type}>
      <fieldset>
        <legend>{props.type}</legend>
        {props.note ? <p class="badge warn">{props.note}</p> : null}
        <CsrfField token={props.csrf} />
        <input type="hidden" name="type" value={props.type} />
        <input type="hidden" name="version" value={String(props.version)} />
        {fields.map((field) => {
          const id = `${props.type}-${field.name.replaceAll('.', '-')}`;
          if (field.kind === 'select') {
            const proposed = field.name === 'registration' && proposedRegistration;
            return (
              <label for={id}>
                {field.label}{' '}
                <select id={id} name={field.name}>
                  {field.options.map((option) => (
                    <option value={option} selected={valueOf(field.name) === option}>{option}</option>
                  ))}
                </select>
                {proposed ? <> <span class="badge proposed">{`${proposedRegistration}: proposed by the policy (AV-12)`}</span></> : null}
              </label>
            );
          }
          if (field.kind === 'checkboxes') {
            return (
              <fieldset>
                <legend>{field.label}</legend>
                {props.categories.map((category) => (
                  <label class="check">
                    <input type="checkbox" name={field.name} value={category} checked={checked(field.name, category)} /> {category}
                  </label>
                ))}
              </fieldset>
            );
          }
          if (field.kind === 'flag') {
            return (
              <label class="check" for={id}>
                <input id={id} type="checkbox" name={field.name} value="true" checked={getPath(values, field.name) === true} /> {field.label}
              </label>
            );
          }
          if (field.kind === 'textarea') {
            return (
              <label for={id}>
                {field.label}
                {field.optional ? ' (optional)' : ''}
                <br />
                <textarea id={id} name={field.name} rows={3} cols={50} maxlength={10000} required={!field.optional}>{valueOf(field.name)}</textarea>
              </label>
            );
          }
          return (
            <label for={id}>
              {field.label}
              {field.optional ? ' (optional)' : ''}{' '}
              <input
                id={id} type={field.kind === 'date' ? 'date' : 'text'} name={field.name} value={valueOf(field.name)}
                maxlength={2000} required={!field.optional}
              />
            </label>
          );
        })}
        <button type="submit">{`Send ${props.type}`}</button>
      </fieldset>
    </form>
  );
}
