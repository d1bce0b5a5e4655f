// Calendar days and snapshot periods in the organisation's zone, for the account schedules:
// which weekdays have ended (monitoring, AV-6, TI-2) and which snapshot period `now` falls in
// (AV-11, TI-12, UP-10). Pure: instants come in as arguments.
import { DateTime } from 'luxon';
import { isWeekday, localDate, type CalendarPolicy } from './calendar.ts';

/** The local date `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return DateTime.fromISO(day, { zone: 'utc' }).plus({ days }).toISODate()!;
}

/** The weekdays from `first` through `last` (local dates, inclusive), in order. */
export function weekdaysBetween(cal: CalendarPolicy, first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) if (isWeekday(cal, day)) days.push(day);
  return days;
}

/** The last local day that has ended at `now`: yesterday in the policy's zone. */
export function lastEndedDay(cal: CalendarPolicy, now: Date): string {
  return addDays(localDate(cal, now), -1);
}

/**
 * The snapshot period `now` falls in: periods start at 00:00 local on the first of each month in
 * `months` (e.g. [4, 9]: April–August and September–March). `period` names it 'YYYY-MM'; `startsAt`
 * is its first instant in UTC.
 */
export function snapshotPeriod(cal: CalendarPolicy, now: Date, months: readonly number[]): { period: string; startsAt: string } {
  const local = DateTime.fromJSDate(now, { zone: cal.timeZone });
  const sorted = [...months].sort((a, b) => a - b);
  const month = sorted.filter((m) => m <= local.month).at(-1);
  // Before the year's first period month, the period began in the previous year's last one.
  const start = month !== undefined
    ? DateTime.fromObject({ year: local.year, month, day: 1 }, { zone: cal.timeZone })
    : DateTime.fromObject({ year: local.year - 1, month: sorted.at(-1)!, day: 1 }, { zone: cal.timeZone });
  return { period: start.toFormat('yyyy-MM'), startsAt: start.toUTC().toISO({ suppressMilliseconds: false })! };
}
