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
