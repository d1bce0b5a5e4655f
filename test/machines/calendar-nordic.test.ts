// The business-time calendar of Denmark, Finland and Iceland against hand-checked dates of 2026 and
// 2027, both DST switches included. Expected values were worked out by hand from the calendar,
// never from the code: Easter 2026 is 5 April, 2027 is 28 March; DST starts the last Sunday of March
// and ends the last Sunday of October (2026-03-29, 2026-10-25, 2027-03-28, 2027-10-31); Copenhagen
// is UTC+1/+2, Helsinki UTC+2/+3, Reykjavik UTC+0 all year. Each label gives the local time.
import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { dueAt, isWeekday, type CalendarPolicy } from '../../machines/policy/calendar.ts';
import { countryCalendars } from '../../machines/policy/countries.ts';
import type { Window } from '../../machines/policy/policy.schema.ts';

const DK: CalendarPolicy = { country: 'DK', timeZone: 'Europe/Copenhagen' };
const FI: CalendarPolicy = { country: 'FI', timeZone: 'Europe/Helsinki' };
const IS: CalendarPolicy = { country: 'IS', timeZone: 'Atlantic/Reykjavik' };
const cals = { DK, FI, IS };

describe('what the pinned date-holidays says, which the choices in countries.ts rest on', () => {
  const named = (country: string, year: number, name: string) =>
    new Holidays(country).getHolidays(year).filter((h) => h.name === name).map((h) => `${h.date.slice(0, 10)} ${h.type}`);

  it('has Store Bededag as a public holiday up to 2023 and not from 2024 (DK abolished it)', () => {
    expect(named('DK', 2023, 'Store Bededag')).toEqual(['2023-05-05 public']);
    expect(named('DK', 2024, 'Store Bededag')).toEqual([]);
    expect(named('DK', 2026, 'Store Bededag')).toEqual([]);
  });

  it('types Finnish Midsummer Eve and Christmas Eve as bank days, so countries.ts adds them', () => {
    expect(named('FI', 2026, 'juhannusaatto')).toEqual(['2026-06-19 bank']);
    expect(named('FI', 2027, 'jouluaatto')).toEqual(['2027-12-24 bank']);
  });

  it('types Grundlovsdag and Juleaftensdag as observances, so countries.ts adds them', () => {
    expect(named('DK', 2026, 'Grundlovsdag')).toEqual(['2026-06-05 observance']);
    expect(named('DK', 2026, 'Juleaftensdag')).toEqual(['2026-12-24 observance']);
  });

  it('gives every country a zone and a reason for each non-weekday it adds', () => {
    for (const calendar of Object.values(countryCalendars)) {
      expect(calendar.timeZone).toMatch(/^(Europe|Atlantic)\//);
      for (const extra of calendar.extra) expect(extra.reason.length).toBeGreaterThan(20);
    }
  });
});

describe('isWeekday in DK, FI and IS', () => {
  it.each([
    ['DK', '2023-05-05', false, 'Fri, Store Bededag 2023: still a holiday'],
    ['DK', '2024-04-26', true, 'Fri, where Store Bededag 2024 would have been: a weekday'],
    ['DK', '2026-04-02', false, 'Maundy Thursday'],
    ['DK', '2026-05-01', true, 'Fri, 1 May: not a holiday in Denmark'],
    ['DK', '2026-05-15', true, 'Fri after Ascension: a weekday'],
    ['DK', '2026-05-25', false, 'Whit Monday'],
    ['DK', '2026-06-05', false, 'Fri, Grundlovsdag (chosen)'],
    ['DK', '2026-12-24', false, 'Thu, Christmas Eve (chosen)'],
    ['DK', '2026-12-31', false, "Thu, New Year's Eve (chosen)"],
    ['DK', '2027-04-23', true, 'Fri, where Store Bededag 2027 would have been'],
    ['DK', '2027-12-27', true, 'Mon after Christmas: no day in lieu of Boxing Day on a Sunday'],
    ['FI', '2026-01-06', false, 'Tue, Epiphany'],
    ['FI', '2026-04-02', true, 'Maundy Thursday: a weekday in Finland'],
    ['FI', '2026-05-01', false, 'Fri, Vappu'],
    ['FI', '2026-06-19', false, 'Fri, Midsummer Eve (chosen)'],
    ['FI', '2026-12-07', true, 'Mon after Independence Day on a Sunday'],
    ['FI', '2026-12-24', false, 'Thu, Christmas Eve (chosen)'],
    ['FI', '2026-12-31', true, "Thu, New Year's Eve: a weekday (chosen)"],
    ['FI', '2027-06-25', false, 'Fri, Midsummer Eve 2027'],
    ['FI', '2027-12-06', false, 'Mon, Independence Day'],
    ['FI', '2027-12-31', true, "Fri, New Year's Eve 2027"],
    ['IS', '2026-04-02', false, 'Maundy Thursday'],
    ['IS', '2026-04-23', false, 'Thu, First Day of Summer'],
    ['IS', '2026-06-17', false, 'Wed, National Day'],
    ['IS', '2026-08-03', false, 'Mon, Commerce Day'],
    ['IS', '2026-12-23', true, 'Wed, Þorláksmessa: an observance'],
    ['IS', '2026-12-24', false, 'Thu, Christmas Eve (public from 13:00; the whole day counts)'],
    ['IS', '2026-12-31', false, "Thu, New Year's Eve (public from 13:00)"],
    ['IS', '2027-04-22', false, 'Thu, First Day of Summer 2027'],
    ['IS', '2027-08-02', false, 'Mon, Commerce Day 2027'],
  ] as const)('%s %s is a weekday: %s (%s)', (country, date, expected, _day) => {
    expect(isWeekday(cals[country], date)).toBe(expected);
  });
});

const hours = (h: number): Window => ({ hours: h, on: 'weekdays' });
const endOf = (n: number): Window => ({ endOfWeekday: n });

describe('dueAt in DK, FI and IS', () => {
  it.each([
    // DK 2026
    ['DK', '2026-04-01T08:00:00Z', hours(48), '2026-04-08T08:00:00.000Z', 'Wed 10:00 before Easter: Thu, Fri and Mon are holidays; due Wed 8 Apr 10:00'],
    ['DK', '2026-06-04T10:00:00Z', endOf(1), '2026-06-08T22:00:00.000Z', 'Thu 12:00 before Grundlovsdag: end of Mon 8 Jun'],
    ['DK', '2026-12-23T14:00:00Z', hours(24), '2026-12-28T14:00:00.000Z', 'Wed 15:00 before Christmas: 9 h Wed, 15 h Mon 28 Dec'],
    ['DK', '2026-03-27T19:00:00Z', hours(8), '2026-03-30T02:00:00.000Z', 'Fri 20:00 CET, spring switch: Mon 04:00 CEST'],
    ['DK', '2026-10-23T20:00:00Z', hours(4), '2026-10-26T01:00:00.000Z', 'Fri 22:00 CEST, autumn switch: Mon 02:00 CET'],
    // DK 2027
    ['DK', '2027-03-24T15:00:00Z', endOf(1), '2027-03-30T22:00:00.000Z', 'Wed 16:00 CET before Easter and the spring switch: end of Tue 30 Mar, 00:00 CEST'],
    ['DK', '2027-04-22T07:00:00Z', endOf(1), '2027-04-23T22:00:00.000Z', 'Thu 09:00: the Friday that was Store Bededag counts'],
    ['DK', '2027-12-23T11:00:00Z', hours(24), '2027-12-27T11:00:00.000Z', 'Thu 12:00 CET: 12 h Thu, 12 h Mon 27 Dec'],
    ['DK', '2027-10-29T21:00:00Z', hours(2), '2027-11-01T00:00:00.000Z', 'Fri 23:00 CEST, autumn switch: Mon 01:00 CET'],
    // FI 2026
    ['FI', '2026-06-18T07:00:00Z', hours(24), '2026-06-22T07:00:00.000Z', 'Thu 10:00 EEST before Midsummer Eve: Mon 22 Jun 10:00'],
    ['FI', '2026-12-30T10:00:00Z', endOf(1), '2026-12-31T22:00:00.000Z', "Wed 12:00 EET: New Year's Eve counts, end of Thu 31 Dec"],
    ['FI', '2026-03-27T20:00:00Z', hours(4), '2026-03-29T23:00:00.000Z', 'Fri 22:00 EET, spring switch: Mon 02:00 EEST'],
    ['FI', '2026-10-23T20:00:00Z', hours(3), '2026-10-26T00:00:00.000Z', 'Fri 23:00 EEST, autumn switch: Mon 02:00 EET'],
    // FI 2027
    ['FI', '2027-03-25T10:00:00Z', endOf(1), '2027-03-30T21:00:00.000Z', 'Thu 12:00 EET before Good Friday and the spring switch: end of Tue 30 Mar, 00:00 EEST'],
    ['FI', '2027-12-03T13:00:00Z', hours(24), '2027-12-07T13:00:00.000Z', 'Fri 15:00 EET before Independence Day on Mon: Tue 7 Dec 15:00'],
    ['FI', '2027-10-29T17:00:00Z', hours(28), '2027-11-01T22:00:00.000Z', 'Fri 20:00 EEST, autumn switch: 4 h Fri, all of Mon; 24:00 Mon EET'],
    // IS 2026: no DST, so the EU switch weekends change nothing
    ['IS', '2026-12-23T10:00:00Z', hours(24), '2026-12-28T10:00:00.000Z', 'Wed 10:00 before Christmas Eve: Mon 28 Dec 10:00'],
    ['IS', '2026-03-27T22:00:00Z', hours(4), '2026-03-30T02:00:00.000Z', 'Fri 22:00 on the EU spring weekend: Mon 02:00'],
    ['IS', '2026-10-23T23:00:00Z', hours(3), '2026-10-26T02:00:00.000Z', 'Fri 23:00 on the EU autumn weekend: Mon 02:00'],
    ['IS', '2026-06-16T18:00:00Z', hours(8), '2026-06-18T02:00:00.000Z', 'Tue 18:00 before National Day: Thu 02:00'],
    // IS 2027
    ['IS', '2027-04-21T12:00:00Z', endOf(1), '2027-04-24T00:00:00.000Z', 'Wed before the First Day of Summer: end of Fri 23 Apr'],
    ['IS', '2027-07-30T12:00:00Z', hours(24), '2027-08-03T12:00:00.000Z', 'Fri before Commerce Day: Tue 3 Aug 12:00'],
    ['IS', '2027-12-30T12:00:00Z', endOf(1), '2028-01-04T00:00:00.000Z', "Thu before New Year's Eve: end of Mon 3 Jan 2028"],
  ] as const)('%s from %s, %j → %s (%s)', (country, from, window, due, _why) => {
    expect(dueAt(cals[country], new Date(from), window).toISOString()).toBe(due);
  });
});
