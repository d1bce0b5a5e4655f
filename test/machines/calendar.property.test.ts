// Properties of the business-time calendar over random instants of 2025–2028 (fast-check):
// weekday deadlines never end inside a non-weekday, and due instants move with their inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueAt, isWeekday, localDate, type CalendarPolicy } from '../../machines/policy/calendar.ts';
import type { Window } from '../../machines/policy/policy.schema.ts';

const calendars = fc.constantFrom<CalendarPolicy>({ country: 'SE', timeZone: 'Europe/Stockholm' }, { country: 'NO', timeZone: 'Europe/Oslo' });
const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-06-30T00:00:00Z'), noInvalidDate: true });
const hours = fc.integer({ min: 1, max: 200 });
const weekdayWindow: fc.Arbitrary<Window> = fc.oneof(
  hours.map((h) => ({ hours: h, on: 'weekdays' as const })),
  fc.integer({ min: 0, max: 10 }).map((n) => ({ endOfWeekday: n })),
);
const runs = { numRuns: 200 };

describe('calendar properties', () => {
  it('ends a weekday window on a weekday: the instant just before the due instant is on a weekday', () => {
    fc.assert(
      fc.property(calendars, instant, weekdayWindow, (cal, from, window) => {
        const due = dueAt(cal, from, window);
        expect(isWeekday(cal, localDate(cal, new Date(due.getTime() - 1)))).toBe(true);
      }),
      runs,
    );
  });

  it('is monotonic in the start: a later receipt is never due earlier', () => {
    fc.assert(
      fc.property(calendars, instant, instant, weekdayWindow, (cal, a, b, window) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(dueAt(cal, early, window).getTime()).toBeLessThanOrEqual(dueAt(cal, late, window).getTime());
      }),
      runs,
    );
  });

  it('is monotonic in the window: more hours or more weekdays are never due earlier', () => {
    fc.assert(
      fc.property(calendars, instant, hours, hours, (cal, from, x, y) => {
        const [small, large] = x <= y ? [x, y] : [y, x];
        expect(dueAt(cal, from, { hours: small, on: 'weekdays' }).getTime()).toBeLessThanOrEqual(
          dueAt(cal, from, { hours: large, on: 'weekdays' }).getTime(),
        );
        const [n, m] = [small % 10, large % 10].sort((p, q) => p - q) as [number, number];
        expect(dueAt(cal, from, { endOfWeekday: n }).getTime()).toBeLessThanOrEqual(dueAt(cal, from, { endOfWeekday: m }).getTime());
      }),
      runs,
    );
  });

  it('is always after the start, and a clock window is exactly that many hours later', () => {
    fc.assert(
      fc.property(calendars, instant, hours, (cal, from, h) => {
        expect(dueAt(cal, from, { hours: h, on: 'weekdays' }).getTime()).toBeGreaterThan(from.getTime());
        expect(dueAt(cal, from, { hours: h, on: 'clock' }).getTime()).toBe(from.getTime() + h * 3_600_000);
      }),
      runs,
    );
  });

  it('counts no more weekday hours than clock hours: a weekday window is never due before its clock twin', () => {
    fc.assert(
      fc.property(calendars, instant, hours, (cal, from, h) => {
        expect(dueAt(cal, from, { hours: h, on: 'weekdays' }).getTime()).toBeGreaterThanOrEqual(from.getTime() + h * 3_600_000);
      }),
      runs,
    );
  });
});
