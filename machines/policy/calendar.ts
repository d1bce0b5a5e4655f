// Business time: weekdays in the organisation's zone and country, and the due instant of a
// deadline window. Pure: instants come in as arguments; holidays come from date-holidays
// (a maintained data set, pinned), never from a hand-written list.
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import type { Window } from './policy.schema.ts';

export interface CalendarPolicy {
  country: 'SE' | 'NO';
  timeZone: string;
}

const holidayCache = new Map<string, Set<string>>();

/** The country's non-weekday dates of a year ('YYYY-MM-DD'), weekends aside. */
function holidaysOf(country: CalendarPolicy['country'], year: number): Set<string> {
  const key = `${country}:${year}`;
  const cached = holidayCache.get(key);
  if (cached) return cached;
  const dates = new Set(
    new Holidays(country)
      .getHolidays(year)
      .filter((holiday) => holiday.type === 'public')
      .map((holiday) => holiday.date.slice(0, 10)),
  );
  if (country === 'SE') {
    // Midsummer Eve, Christmas Eve and New Year's Eve are "bank" days in the data set but count
    // as holidays in Swedish deadline law (lag om beräkning av lagstadgad tid).
    dates.add(`${year}-12-24`);
    dates.add(`${year}-12-31`);
    for (let day = 19; day <= 25; day++) {
      const date = DateTime.utc(year, 6, day);
      if (date.weekday === 5) dates.add(date.toISODate()!);
    }
  }
  holidayCache.set(key, dates);
  return dates;
}

/** Monday to Friday, not a public holiday of the country (RULES.md, "weekday"). */
export function isWeekday(cal: CalendarPolicy, localDate: string): boolean {
  const date = DateTime.fromISO(localDate, { zone: 'utc' });
  if (!date.isValid) throw new RangeError(`not a date: ${localDate}`);
  return date.weekday <= 5 && !holidaysOf(cal.country, date.year).has(localDate);
}

/** The calendar date of an instant in the organisation's zone. */
export function localDate(cal: CalendarPolicy, instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: cal.timeZone }).toISODate()!;
}

/** 00:00 local of the day after the local day of `instant`: the end (24:00) of that day. */
function endOfLocalDay(cal: CalendarPolicy, instant: DateTime): DateTime {
  return instant.setZone(cal.timeZone).startOf('day').plus({ days: 1 });
}

/**
 * The due instant of `window` counted from `from`:
 * - `{hours, on: 'clock'}`: `from` plus that much elapsed time;
 * - `{hours, on: 'weekdays'}`: elapsed time counted only while the local date is a weekday
 *   (real hours, so a day of a daylight-saving switch has 23 or 25);
 * - `{endOfWeekday: N}`: 24:00 local of the Nth weekday after the day of `from`; N = 0 is the end
 *   of the day of `from` if a weekday, else of the next weekday.
 */
export function dueAt(cal: CalendarPolicy, from: Date, window: Window): Date {
  const start = DateTime.fromJSDate(from, { zone: cal.timeZone });
  if ('endOfWeekday' in window) {
    let day: DateTime = start.startOf('day');
    let remaining = window.endOfWeekday;
    if (remaining === 0 && isWeekday(cal, day.toISODate()!)) return endOfLocalDay(cal, day).toJSDate();
    remaining = Math.max(remaining, 1);
    while (remaining > 0) {
      day = day.plus({ days: 1 });
      if (isWeekday(cal, day.toISODate()!)) remaining -= 1;
    }
    return endOfLocalDay(cal, day).toJSDate();
  }
  const ms = window.hours * 3_600_000;
  if (window.on === 'clock') return new Date(from.getTime() + ms);
  let cursor: DateTime = start;
  let remaining = ms;
  for (;;) {
    const dayEnd = endOfLocalDay(cal, cursor);
    if (isWeekday(cal, cursor.toISODate()!)) {
      const available = dayEnd.toMillis() - cursor.toMillis();
      if (remaining <= available) return new Date(cursor.toMillis() + remaining);
      remaining -= available;
    }
    cursor = dayEnd;
  }
}
