// The item events as HTML forms: which fields each event type has, how a posted form becomes the
// event body that itemEventSchemas validates, and the forms themselves.
import { decisions, itemEventSchemas, type ItemEventType } from '../../machines/item.events.ts';
import { CsrfField } from './layout.tsx';

type Field =
  | { name: string; label: string; kind: 'text' | 'textarea'; optional?: boolean }
  | { name: string; label: string; kind: 'select'; options: readonly string[] }
  | { name: string; label: string; kind: 'checkboxes'; options: 'categories' };

const reason: Field = { name: 'reason', label: 'Reason', kind: 'text' };

export const eventFields: Record<ItemEventType, Field[]> = {
  ASSESS: [
    { name: 'decision', label: 'Decision', kind: 'select', options: decisions },
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
};

export const isEventType = (type: unknown): type is ItemEventType =>
  typeof type === 'string' && Object.hasOwn(itemEventSchemas, type);

type FormBody = Record<string, string | File | Array<string | File>>;

const one = (value: FormBody[string] | undefined): string | undefined => {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof v === 'string' ? v : undefined;
};

/** The posted form as the event body: empty optional fields are left out, checkboxes are a list. */
export function eventFromForm(type: ItemEventType, form: FormBody): Record<string, unknown> {
  const event: Record<string, unknown> = { type };
  for (const field of eventFields[type]) {
    const value = form[field.name];
    if (field.kind === 'checkboxes') {
      const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
      event[field.name] = list.filter((v): v is string => typeof v === 'string');
      continue;
    }
    const text = one(value);
    if (field.kind !== 'select' && field.optional && (text === undefined || text.trim() === '')) continue;
    event[field.name] = text ?? '';
  }
  return event;
}

export interface FormIssue {
  path: string;
  message: string;
}

export function EventForm(props: {
  itemId: string;
  type: ItemEventType;
  version: number;
  csrf: string;
  categories: readonly string[];
  note?: string | undefined;
  values?: Record<string, unknown> | undefined;
}) {
  const fields = eventFields[props.type];
  const values = props.values ?? {};
  const valueOf = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
  const checked = (name: string, option: string) => Array.isArray(values[name]) && (values[name] as unknown[]).includes(option);
  return (
    <form method="post" action={`/items/${encodeURIComponent(props.itemId)}/events`} class="event-form" data-event={props.type}>
      <fieldset>
        <legend>{props.type}</legend>
        {props.note ? <p class="badge warn">{props.note}</p> : null}
        <CsrfField token={props.csrf} />
        <input type="hidden" name="type" value={props.type} />
        <input type="hidden" name="version" value={String(props.version)} />
        {fields.map((field) => {
          const id = `${props.type}-${field.name}`;
          if (field.kind === 'select') {
            return (
              <label for={id}>
                {field.label}{' '}
                <select id={id} name={field.name}>
                  {field.options.map((option) => (
                    <option value={option} selected={valueOf(field.name) === option}>{option}</option>
                  ))}
                </select>
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
              <input id={id} type="text" name={field.name} value={valueOf(field.name)} maxlength={2000} required={!field.optional} />
            </label>
          );
        })}
        <button type="submit">{`Send ${props.type}`}</button>
      </fieldset>
    </form>
  );
}
