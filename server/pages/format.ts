// How instants read on a page: in the organisation's own zone (Europe/Stockholm, Europe/Oslo, …),
// to the minute, with the zone's abbreviation, so a Swedish or Norwegian officer sees local time.
import { DateTime } from 'luxon';
import type { Policy } from '../../machines/policy/policy.schema.ts';

const locales = { SE: 'sv-SE', NO: 'nb-NO', DK: 'da-DK', FI: 'fi-FI', IS: 'is-IS' } as const;

export function localTime(iso: string | null | undefined, policy: Pick<Policy, 'timeZone' | 'country'>): string {
  if (!iso) return '—';
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(policy.timeZone);
  if (!local.isValid) return iso;
  return local.setLocale(locales[policy.country]).toFormat('yyyy-MM-dd HH:mm ZZZZ');
}

/**
 * A due instant the way people say it, in the organisation's zone: midnight is the end of the day
 * before ("by end of Monday 30 November"), any other instant names its time ("by Tuesday
 * 1 December, 14:30"). The year is said only when it is not the year of `now`.
 */
export function deadlineText(iso: string | null | undefined, policy: Pick<Policy, 'timeZone'>, now?: Date): string {
  if (!iso) return '—';
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(policy.timeZone).setLocale('en-GB');
  if (!local.isValid) return iso;
  const midnight = local.hour === 0 && local.minute === 0 && local.second === 0;
  const day = midnight ? local.minus({ days: 1 }) : local;
  const thisYear = now ? DateTime.fromJSDate(now).setZone(policy.timeZone).year : day.year;
  const date = day.toFormat(day.year === thisYear ? 'cccc d LLLL' : 'cccc d LLLL yyyy');
  return midnight ? `by end of ${date}` : `by ${date}, ${day.toFormat('HH:mm')}`;
}

/** An instant as a timeline says it: "Monday 23 November 2026, 10:00 CET", in the organisation's zone. */
export function localMoment(iso: string, policy: Pick<Policy, 'timeZone'>): string {
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(policy.timeZone).setLocale('en-GB');
  return local.isValid ? local.toFormat('cccc d LLLL yyyy, HH:mm ZZZZ') : iso;
}
