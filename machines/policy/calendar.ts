// Business time: which local dates are weekdays (RULES.md, "weekday") in the organisation's country
// and zone, and the due instant of a deadline window. Pure: instants come in as arguments, the clock
// is never read; holidays come from date-holidays (pinned, maintained data), never a hand-written list.
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { extraNonWeekdays, type Country } from './countries.ts';
import type { Window } from './policy.schema.ts';

/** What the calendar reads of a policy: the country whose holidays count and the IANA zone of its days. */
export interface CalendarPolicy {
  country: Country;
  timeZone: string;
}

const HOUR_MS = 3_600_000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

const holidayCache = new Map<string, ReadonlySet<string>>();

/** The country's holidays of a year as 'YYYY-MM-DD' (weekends aside), computed once per (country, year). */
function holidaysOf(country: CalendarPolicy['country'], year: number): ReadonlySet<string> {
  const key = `${country}:${year}`;
  const cached = holidayCache.get(key);
  if (cached) return cached;
  const dates = new Set(
    new Holidays(country)
      .getHolidays(year)
      .filter((holiday) => holiday.type === 'public')
      // `date` is local 'YYYY-MM-DD hh:mm:ss'; a public day that starts later (IS: Christmas Eve from
      // 13:00) still makes its whole date a non-weekday (countries.ts says why).
      .map((holiday) => holiday.date.slice(0, 10)),
  );
  // The days each country's deadline practice adds, with their reasons, in countries.ts.
  for (const date of extraNonWeekdays(country, year)) dates.add(date);
  holidayCache.set(key, dates);
  return dates;
}

/**
 * Whether a local calendar date ('YYYY-MM-DD') is a weekday of the policy's country: Monday to Friday,
 * not a public holiday (date-holidays type 'public'), and not one of the country's extra non-weekdays
 * (countries.ts: in SE Midsummer, Christmas and New Year's Eves). Throws RangeError on a malformed date.
 */
export function isWeekday(cal: CalendarPolicy, localDate: string): boolean {
  const date = DateTime.fromISO(localDate, { zone: 'utc' });
  if (!isoDate.test(localDate) || !date.isValid) throw new RangeError(`not a date 'YYYY-MM-DD': ${localDate}`);
  return date.weekday <= 5 && !holidaysOf(cal.country, date.year).has(localDate);
}

/** The calendar date ('YYYY-MM-DD') of an instant in the policy's zone. Throws RangeError on an invalid instant or zone. */
export function localDate(cal: CalendarPolicy, instant: Date): string {
  return inZone(cal, instant).toISODate()!;
}

function inZone(cal: CalendarPolicy, instant: Date): DateTime {
  const local = DateTime.fromJSDate(instant, { zone: cal.timeZone });
  if (!local.isValid) throw new RangeError(`cannot place ${String(instant)} in zone ${cal.timeZone}: ${local.invalidExplanation ?? local.invalidReason}`);
  return local;
}

/** One local day of the policy's zone: its start and end instants (23 or 25 h apart across DST). */
interface LocalDay {
  start: number;
  end: number;
  weekday: boolean;
}

// Placing instants in a named zone is the slow part of a due instant (Intl under luxon; measured
// ~300 µs a deadline). Local midnights and DST changes of every real zone fall on a quarter hour
// (offsets are multiples of 15 minutes), so all instants of one quarter hour share a local day.
const quarterHour = 15 * 60 * 1000;
const dayCache = new Map<string, LocalDay>();
const validZones = new Set<string>();

function localDayOf(cal: CalendarPolicy, ms: number): LocalDay {
  const key = `${cal.country}|${cal.timeZone}|${Math.floor(ms / quarterHour)}`;
  let day = dayCache.get(key);
  if (!day) {
    const start = inZone(cal, new Date(ms)).startOf('day');
    day = { start: start.toMillis(), end: start.plus({ days: 1 }).toMillis(), weekday: isWeekday(cal, start.toISODate()!) };
    if (dayCache.size >= 20_000) dayCache.clear(); // 20,000 quarter hours: seven months of instants
    dayCache.set(key, day);
  }
  return day;
}

/**
 * The due instant of `window` counted from the instant `from`, in the policy's zone and country:
 * - `{hours, on: 'clock'}`: `from` plus `hours` of elapsed time, whatever the days.
 * - `{hours, on: 'weekdays'}`: elapsed time counted only while the local date is a weekday (real
 *   time, so a 23- or 25-hour day counts as such); counting from a non-weekday starts at 00:00 of
 *   the next weekday. The due instant is inside a weekday or at the 24:00 that ends one.
 * - `{endOfWeekday: N}`: N ≥ 1: 24:00 local (00:00 of the following day) ending the Nth weekday
 *   strictly after the local day of `from`. N = 0: the end of the day of `from` if it is a weekday,
 *   else the end of the first weekday after it.
 * Throws RangeError on an invalid `from` or zone.
 */
export function dueAt(cal: CalendarPolicy, from: Date, window: Window): Date {
  // Validates as inZone does (RangeError on an invalid instant or zone), once per zone.
  if (Number.isNaN(from.getTime()) || !validZones.has(cal.timeZone)) {
    inZone(cal, from);
    validZones.add(cal.timeZone);
  }
  if ('endOfWeekday' in window) {
    let day = localDayOf(cal, from.getTime());
    if (window.endOfWeekday === 0 && day.weekday) return new Date(day.end);
    // N = 0 on a non-weekday is the same as N = 1: the first weekday after the day of `from`.
    let remaining = Math.max(window.endOfWeekday, 1);
    while (remaining > 0) {
      day = localDayOf(cal, day.end);
      if (day.weekday) remaining -= 1;
    }
    return new Date(day.end);
  }
  const ms = Math.round(window.hours * HOUR_MS);
  if (window.on === 'clock') return new Date(from.getTime() + ms);
  let cursor = from.getTime();
  let remaining = ms;
  for (;;) {
    const day = localDayOf(cal, cursor);
    if (day.weekday) {
      const available = day.end - cursor;
      if (remaining <= available) return new Date(cursor + remaining);
      remaining -= available;
    }
    cursor = day.end;
  }
}
