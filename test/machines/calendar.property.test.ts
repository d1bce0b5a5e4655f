// Properties of the business-time calendar over random instants of 2025–2028 (fast-check): weekday
// deadlines never end inside a non-weekday, weekday hours are exactly the hours that fall on weekdays,
// and due instants move with their inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueAt, isWeekday, localDate, type CalendarPolicy } from '../../machines/policy/calendar.ts';
import type { Window } from '../../machines/policy/policy.schema.ts';

const HOUR_MS = 3_600_000;
const calendars = fc.constantFrom<CalendarPolicy>(
  { country: 'SE', timeZone: 'Europe/Stockholm' },
  { country: 'NO', timeZone: 'Europe/Oslo' },
  { country: 'DK', timeZone: 'Europe/Copenhagen' },
  { country: 'FI', timeZone: 'Europe/Helsinki' },
  { country: 'IS', timeZone: 'Atlantic/Reykjavik' },
);
const instant = fc.date({ min: new Date('2025-01-01T00:00:00.000Z'), max: new Date('2028-12-31T23:59:59.999Z'), noInvalidDate: true });
const hours = fc.integer({ min: 1, max: 200 });
const n = fc.integer({ min: 0, max: 10 });
const weekdayHours = hours.map((h): Window => ({ hours: h, on: 'weekdays' }));
const endOfWeekday = n.map((k): Window => ({ endOfWeekday: k }));
const anyWindow: fc.Arbitrary<Window> = fc.oneof(weekdayHours, endOfWeekday, hours.map((h): Window => ({ hours: h, on: 'clock' })));
const runs = { numRuns: 200 };

const before = (date: Date) => new Date(date.getTime() - 1);
/** Whether `date` is 00:00 local: the millisecond before it is on another local date. */
const startsLocalDay = (cal: CalendarPolicy, date: Date) => localDate(cal, before(date)) !== localDate(cal, date);

describe('calendar properties', () => {
  it('ends a weekday-hours window on a weekday: inside one, or at the 24:00 that ends one', () => {
    fc.assert(
      fc.property(calendars, instant, weekdayHours, (cal, from, window) => {
        const due = dueAt(cal, from, window);
        expect(isWeekday(cal, localDate(cal, before(due)))).toBe(true);
        if (!startsLocalDay(cal, due)) expect(isWeekday(cal, localDate(cal, due))).toBe(true);
      }),
      runs,
    );
  });

  it('ends an endOfWeekday window at 00:00 local of the day after a weekday', () => {
    fc.assert(
      fc.property(calendars, instant, endOfWeekday, (cal, from, window) => {
        const due = dueAt(cal, from, window);
        expect(startsLocalDay(cal, due)).toBe(true);
        expect(isWeekday(cal, localDate(cal, before(due)))).toBe(true);
      }),
      runs,
    );
  });

  it('counts exactly the hours that fall on weekdays between receipt and due instant', () => {
    // An independent count: in these zones local days start on whole UTC hours, so weekday-ness is
    // constant within each UTC hour; sum the weekday parts hour by hour.
    fc.assert(
      fc.property(calendars, instant, hours, (cal, from, h) => {
        const due = dueAt(cal, from, { hours: h, on: 'weekdays' }).getTime();
        let counted = 0;
        for (let t = from.getTime(); t < due; ) {
          const next = Math.min(due, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS);
          if (isWeekday(cal, localDate(cal, new Date(t)))) counted += next - t;
          t = next;
        }
        expect(counted).toBe(h * HOUR_MS);
      }),
      runs,
    );
  });

  it('is monotonic in the start: a later receipt is never due earlier', () => {
    fc.assert(
      fc.property(calendars, instant, instant, anyWindow, (cal, a, b, window) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(dueAt(cal, early, window).getTime()).toBeLessThanOrEqual(dueAt(cal, late, window).getTime());
      }),
      runs,
    );
  });

  it('is monotonic in the window: more hours or more weekdays are never due earlier', () => {
    fc.assert(
      fc.property(calendars, instant, hours, hours, n, n, (cal, from, x, y, p, q) => {
        const [small, large] = x <= y ? [x, y] : [y, x];
        expect(dueAt(cal, from, { hours: small, on: 'weekdays' }).getTime()).toBeLessThanOrEqual(
          dueAt(cal, from, { hours: large, on: 'weekdays' }).getTime(),
        );
        const [fewer, more] = p <= q ? [p, q] : [q, p];
        expect(dueAt(cal, from, { endOfWeekday: fewer }).getTime()).toBeLessThanOrEqual(dueAt(cal, from, { endOfWeekday: more }).getTime());
      }),
      runs,
    );
  });

  it('adds up: a weekday window of a + b hours is due where b hours after the a-hour due instant are', () => {
    fc.assert(
      fc.property(calendars, instant, hours, hours, (cal, from, a, b) => {
        const stepwise = dueAt(cal, dueAt(cal, from, { hours: a, on: 'weekdays' }), { hours: b, on: 'weekdays' });
        expect(stepwise.getTime()).toBe(dueAt(cal, from, { hours: a + b, on: 'weekdays' }).getTime());
      }),
      runs,
    );
  });

  it('one more weekday ends at least a day later', () => {
    fc.assert(
      fc.property(calendars, instant, fc.integer({ min: 1, max: 10 }), (cal, from, k) => {
        const gap = dueAt(cal, from, { endOfWeekday: k + 1 }).getTime() - dueAt(cal, from, { endOfWeekday: k }).getTime();
        expect(gap).toBeGreaterThanOrEqual(23 * HOUR_MS);
      }),
      runs,
    );
  });

  it('is always after the start, and a clock window is exactly that many hours later', () => {
    fc.assert(
      fc.property(calendars, instant, hours, n, (cal, from, h, k) => {
        expect(dueAt(cal, from, { hours: h, on: 'weekdays' }).getTime()).toBeGreaterThan(from.getTime());
        expect(dueAt(cal, from, { endOfWeekday: k }).getTime()).toBeGreaterThan(from.getTime());
        expect(dueAt(cal, from, { hours: h, on: 'clock' }).getTime()).toBe(from.getTime() + h * HOUR_MS);
      }),
      runs,
    );
  });

  it('counts no more weekday hours than clock hours: a weekday window is never due before its clock twin', () => {
    fc.assert(
      fc.property(calendars, instant, hours, (cal, from, h) => {
        expect(dueAt(cal, from, { hours: h, on: 'weekdays' }).getTime()).toBeGreaterThanOrEqual(from.getTime() + h * HOUR_MS);
      }),
      runs,
    );
  });
});
