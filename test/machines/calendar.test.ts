// The business-time calendar against hand-checked dates of 2026 and 2027 in Sweden and Norway:
// Easter, 1 May, Ascension, Whitsun, 17 May, 6 June, Midsummer, Christmas, New Year and both DST
// switches of each year. Expected values were worked out by hand from the calendar (Easter 2026 is
// 5 April, 2027 is 28 March; DST starts the last Sunday of March and ends the last Sunday of October:
// 2026-03-29, 2026-10-25, 2027-03-28, 2027-10-31; CET = UTC+1, CEST = UTC+2), never from the code.
// Instants are UTC ISO strings; each label gives the local time it stands for.
import { describe, expect, it } from 'vitest';
import { dueAt, isWeekday, localDate, type CalendarPolicy } from '../../machines/policy/calendar.ts';
import type { Window } from '../../machines/policy/policy.schema.ts';

const SE: CalendarPolicy = { country: 'SE', timeZone: 'Europe/Stockholm' };
const NO: CalendarPolicy = { country: 'NO', timeZone: 'Europe/Oslo' };

describe('isWeekday', () => {
  it.each([
    // date, weekday in SE, weekday in NO, what the day is
    // 2026
    ['2026-01-01', false, false, 'Thu, New Year\'s Day'],
    ['2026-01-02', true, true, 'Fri after New Year\'s Day'],
    ['2026-01-06', false, true, 'Tue, Epiphany: a holiday in SE only'],
    ['2026-03-27', true, true, 'Fri before the spring DST switch'],
    ['2026-03-28', false, false, 'Sat'],
    ['2026-03-29', false, false, 'Sun of the spring DST switch (23-hour day)'],
    ['2026-03-30', true, true, 'Mon after the spring DST switch'],
    ['2026-04-02', true, false, 'Maundy Thursday: a holiday in NO only'],
    ['2026-04-03', false, false, 'Good Friday'],
    ['2026-04-05', false, false, 'Easter Sunday'],
    ['2026-04-06', false, false, 'Easter Monday'],
    ['2026-04-07', true, true, 'Tue after Easter'],
    ['2026-04-30', true, true, 'Thu, Walpurgis Night: not a holiday'],
    ['2026-05-01', false, false, 'Fri, 1 May'],
    ['2026-05-14', false, false, 'Thu, Ascension Day'],
    ['2026-05-15', true, true, 'Fri after Ascension'],
    ['2026-05-17', false, false, 'Sun, Norwegian Constitution Day on a Sunday'],
    ['2026-05-18', true, true, 'Mon after 17 May'],
    ['2026-05-25', true, false, 'Whit Monday: a holiday in NO, not in SE since 2005'],
    ['2026-06-05', true, true, 'Fri before the Swedish National Day'],
    ['2026-06-06', false, false, 'Sat, Swedish National Day on a Saturday'],
    ['2026-06-19', false, true, 'Midsummer Eve (Fri 19–25 June): SE counts it as a holiday'],
    ['2026-06-22', true, true, 'Mon after Midsummer'],
    ['2026-06-23', true, true, 'Tue, Norwegian Sankthansaften: not a holiday'],
    ['2026-10-23', true, true, 'Fri before the autumn DST switch'],
    ['2026-10-25', false, false, 'Sun of the autumn DST switch (25-hour day)'],
    ['2026-10-26', true, true, 'Mon after the autumn DST switch'],
    ['2026-10-30', true, true, 'Fri, All Saints\' Eve: not a holiday'],
    ['2026-12-23', true, true, 'Wed before Christmas'],
    ['2026-12-24', false, true, 'Thu, Christmas Eve: SE counts it as a holiday'],
    ['2026-12-25', false, false, 'Fri, Christmas Day'],
    ['2026-12-26', false, false, 'Sat, Boxing Day on a Saturday'],
    ['2026-12-28', true, true, 'Mon after Christmas'],
    ['2026-12-31', false, true, 'Thu, New Year\'s Eve: SE counts it as a holiday'],
    // 2027
    ['2027-01-01', false, false, 'Fri, New Year\'s Day'],
    ['2027-01-04', true, true, 'Mon after New Year'],
    ['2027-01-06', false, true, 'Wed, Epiphany: a holiday in SE only'],
    ['2027-03-24', true, true, 'Wed before Easter'],
    ['2027-03-25', true, false, 'Maundy Thursday 2027: a holiday in NO only'],
    ['2027-03-26', false, false, 'Good Friday 2027'],
    ['2027-03-28', false, false, 'Easter Sunday and the spring DST switch'],
    ['2027-03-29', false, false, 'Easter Monday 2027'],
    ['2027-03-30', true, true, 'Tue after Easter 2027'],
    ['2027-04-30', true, true, 'Fri before 1 May'],
    ['2027-05-01', false, false, 'Sat, 1 May on a Saturday'],
    ['2027-05-03', true, true, 'Mon after 1 May: no substitute day'],
    ['2027-05-06', false, false, 'Thu, Ascension Day 2027'],
    ['2027-05-07', true, true, 'Fri after Ascension 2027'],
    ['2027-05-17', true, false, 'Mon, Constitution Day and Whit Monday in NO; an ordinary Monday in SE'],
    ['2027-05-18', true, true, 'Tue after Whitsun'],
    ['2027-06-04', true, true, 'Fri before the Swedish National Day'],
    ['2027-06-06', false, false, 'Sun, Swedish National Day on a Sunday'],
    ['2027-06-07', true, true, 'Mon after 6 June: no substitute day'],
    ['2027-06-24', true, true, 'Thu before Midsummer Eve'],
    ['2027-06-25', false, true, 'Midsummer Eve 2027 (the last possible date, 25 June)'],
    ['2027-06-28', true, true, 'Mon after Midsummer 2027'],
    ['2027-10-29', true, true, 'Fri before the autumn DST switch'],
    ['2027-10-31', false, false, 'Sun of the autumn DST switch'],
    ['2027-11-01', true, true, 'Mon after the switch (All Saints\' Day is Sat 6 Nov)'],
    ['2027-11-05', true, true, 'Fri, All Saints\' Eve: not a holiday'],
    ['2027-12-23', true, true, 'Thu before Christmas'],
    ['2027-12-24', false, true, 'Fri, Christmas Eve'],
    ['2027-12-25', false, false, 'Sat, Christmas Day'],
    ['2027-12-26', false, false, 'Sun, Boxing Day'],
    ['2027-12-27', true, true, 'Mon after Christmas: no substitute day'],
    ['2027-12-31', false, true, 'Fri, New Year\'s Eve'],
    // Fixed-date holidays that fall on a weekend in 2026 and 2027, checked where they fall on a weekday.
    ['2025-06-06', false, true, 'Fri, Swedish National Day 2025'],
    ['2028-06-06', false, true, 'Tue, Swedish National Day 2028'],
    ['2028-05-17', true, false, 'Wed, Norwegian Constitution Day 2028 (not Whit Monday)'],
    ['2028-05-01', false, false, 'Mon, 1 May 2028'],
    ['2025-12-26', false, false, 'Fri, Boxing Day 2025'],
    ['2028-12-26', false, false, 'Tue, Boxing Day 2028'],
    ['2025-06-20', false, true, 'Midsummer Eve 2025'],
    ['2028-06-23', false, true, 'Midsummer Eve 2028'],
    ['2028-06-05', true, false, 'Whit Monday 2028'],
  ])('%s is a weekday in SE: %s, in NO: %s (%s)', (date, inSweden, inNorway) => {
    expect(isWeekday(SE, date)).toBe(inSweden);
    expect(isWeekday(NO, date)).toBe(inNorway);
  });

  it.each(['2026-4-2', '2026-02-30', '2026-04-02T10:00', '2026-W14-4', ''])('refuses %j as a local date', (date) => {
    expect(() => isWeekday(SE, date)).toThrow(RangeError);
  });
});

describe('localDate', () => {
  it.each([
    ['SE', '2026-11-23T23:30:00Z', '2026-11-24', '00:30 CET the next day', SE],
    ['SE', '2026-11-23T22:59:59.999Z', '2026-11-23', '23:59:59.999 CET', SE],
    ['SE', '2026-06-30T21:59:59Z', '2026-06-30', '23:59:59 CEST', SE],
    ['SE', '2026-06-30T22:00:00Z', '2026-07-01', '00:00 CEST', SE],
    ['NO', '2026-03-28T23:00:00Z', '2026-03-29', '00:00 CET on the day of the spring switch', NO],
    ['NO', '2026-10-25T22:59:59Z', '2026-10-25', '23:59:59 CET on the day of the autumn switch', NO],
  ] as Array<[string, string, string, string, CalendarPolicy]>)('%s: %s is %s (%s)', (_country, instant, expected, _note, cal) => {
    expect(localDate(cal, new Date(instant))).toBe(expected);
  });
});

describe('dueAt', () => {
  const h48: Window = { hours: 48, on: 'weekdays' };
  const next: Window = { endOfWeekday: 1 };

  describe('hours on weekdays', () => {
    it.each([
      // RULES.md: Thu 10:00 CEST leaves 14 h; Good Friday to Easter Monday skipped; Tue 24 h; Wed 10 h.
      ['SE RULES.md example: Thu 2026-04-02 10:00 → Wed 04-08 10:00 CEST', SE, '2026-04-02T08:00:00Z', h48, '2026-04-08T08:00:00.000Z'],
      ['NO same receipt on Maundy Thursday: counting starts Tue 7 April → Thu 04-09 00:00 CEST', NO, '2026-04-02T08:00:00Z', h48, '2026-04-08T22:00:00.000Z'],
      // Fri 10:00 CET: 14 h; weekend with the 23-hour Sunday skipped; Mon 24 h (CEST); Tue 10 h → 10:00 CEST.
      ['SE 48 h over the spring DST weekend 2026: Fri 03-27 10:00 CET → Tue 03-31 10:00 CEST', SE, '2026-03-27T09:00:00Z', h48, '2026-03-31T08:00:00.000Z'],
      // Fri 10:00 CEST: 14 h; weekend with the 25-hour Sunday skipped; Mon 24 h (CET); Tue 10 h → 10:00 CET.
      ['NO 48 h over the autumn DST weekend 2026: Fri 10-23 10:00 CEST → Tue 10-27 10:00 CET', NO, '2026-10-23T08:00:00Z', h48, '2026-10-27T09:00:00.000Z'],
      ['SE 24 h over the autumn DST weekend 2026: Fri 10-23 12:00 CEST → Mon 10-26 12:00 CET', SE, '2026-10-23T10:00:00Z', { hours: 24, on: 'weekdays' }, '2026-10-26T11:00:00.000Z'],
      ['SE 24 h over the spring DST weekend 2026: Fri 03-27 12:00 CET → Mon 03-30 12:00 CEST', SE, '2026-03-27T11:00:00Z', { hours: 24, on: 'weekdays' }, '2026-03-30T10:00:00.000Z'],
      // Fri 29 Oct 11:00 CEST: 13 h; Mon 1 Nov 24 h (All Saints' is Sat 6 Nov); Tue 11 h → 11:00 CET.
      ['SE 48 h over the autumn DST weekend 2027: Fri 10-29 11:00 CEST → Tue 11-02 11:00 CET', SE, '2027-10-29T09:00:00Z', h48, '2027-11-02T10:00:00.000Z'],
      // Wed 12:00 CET: 12 h; Maundy Thursday to Easter Monday (with the DST Sunday) skipped; Tue 24 h; Wed 12 h.
      ['NO 48 h over Easter and the spring switch 2027: Wed 03-24 12:00 CET → Wed 03-31 12:00 CEST', NO, '2027-03-24T11:00:00Z', h48, '2027-03-31T10:00:00.000Z'],
      // Wed 12 h; Maundy Thursday counts in SE: 24 h; Good Friday to Easter Monday skipped; Tue 12 h.
      ['SE 48 h over Easter 2027: Wed 03-24 12:00 CET → Tue 03-30 12:00 CEST', SE, '2027-03-24T11:00:00Z', h48, '2027-03-30T10:00:00.000Z'],
      // Thu 09:00: 15 h; Midsummer Eve skipped in SE only; Mon 24 h; then 9 h.
      ['SE 48 h over Midsummer 2026: Thu 06-18 09:00 → Tue 06-23 09:00 CEST', SE, '2026-06-18T07:00:00Z', h48, '2026-06-23T07:00:00.000Z'],
      ['NO 48 h over Midsummer 2026: Thu 06-18 09:00 → Mon 06-22 09:00 CEST', NO, '2026-06-18T07:00:00Z', h48, '2026-06-22T07:00:00.000Z'],
      // Fri 10:00: 14 h; Whit Monday skipped in NO only.
      ['SE 48 h over Whitsun 2026: Fri 05-22 10:00 → Tue 05-26 10:00 CEST', SE, '2026-05-22T08:00:00Z', h48, '2026-05-26T08:00:00.000Z'],
      ['NO 48 h over Whitsun 2026: Fri 05-22 10:00 → Wed 05-27 10:00 CEST', NO, '2026-05-22T08:00:00Z', h48, '2026-05-27T08:00:00.000Z'],
      // Wed 23:30: 0.5 h; SE skips Thu 24 Dec to Sun; Mon 24 h; Tue 23.5 h. NO counts Thu 24 Dec.
      ['SE 48 h from 23:30 local before Christmas: Wed 12-23 23:30 → Tue 12-29 23:30 CET', SE, '2026-12-23T22:30:00Z', h48, '2026-12-29T22:30:00.000Z'],
      ['NO 48 h from 23:30 local before Christmas: Wed 12-23 23:30 → Mon 12-28 23:30 CET', NO, '2026-12-23T22:30:00Z', h48, '2026-12-28T22:30:00.000Z'],
      // Five whole weekdays from Mon 00:00: SE skips Thu 24 and Fri 25 Dec, NO only Fri 25.
      ['SE 120 h from Mon 12-21 00:00 → end of Tue 12-29', SE, '2026-12-20T23:00:00Z', { hours: 120, on: 'weekdays' }, '2026-12-29T23:00:00.000Z'],
      ['NO 120 h from Mon 12-21 00:00 → end of Mon 12-28', NO, '2026-12-20T23:00:00Z', { hours: 120, on: 'weekdays' }, '2026-12-28T23:00:00.000Z'],
      ['SE 1 h from Fri 23:30 CET: 30 min on Friday, 30 on Monday → Mon 11-23 00:30', SE, '2026-11-20T22:30:00Z', { hours: 1, on: 'weekdays' }, '2026-11-22T23:30:00.000Z'],
      ['SE 1 h from Sat 00:30 CET (still Friday in UTC) → Mon 11-23 01:00', SE, '2026-11-20T23:30:00Z', { hours: 1, on: 'weekdays' }, '2026-11-23T00:00:00.000Z'],
      ['SE 24 h from a Saturday: all of Monday → Tue 11-24 00:00 CET', SE, '2026-11-21T11:00:00Z', { hours: 24, on: 'weekdays' }, '2026-11-23T23:00:00.000Z'],
      ['SE 30 h from a Saturday → Tue 11-24 06:00 CET', SE, '2026-11-21T11:00:00Z', { hours: 30, on: 'weekdays' }, '2026-11-24T05:00:00.000Z'],
      ['SE 24 h from Good Friday 15:00: counting starts Tue 04-07 → Wed 04-08 00:00 CEST', SE, '2026-04-03T13:00:00Z', { hours: 24, on: 'weekdays' }, '2026-04-07T22:00:00.000Z'],
    ] as Array<[string, CalendarPolicy, string, Window, string]>)('%s', (_case, cal, from, window, expected) => {
      expect(dueAt(cal, new Date(from), window).toISOString()).toBe(expected);
    });
  });

  describe('hours on the clock', () => {
    it.each([
      ['SE 48 h over the spring switch: Sat 03-28 12:00 CET → Mon 03-30 13:00 CEST', SE, '2026-03-28T11:00:00Z', { hours: 48, on: 'clock' }, '2026-03-30T11:00:00.000Z'],
      ['SE 48 h over the autumn switch: Sat 10-24 12:00 CEST → Mon 10-26 11:00 CET', SE, '2026-10-24T10:00:00Z', { hours: 48, on: 'clock' }, '2026-10-26T10:00:00.000Z'],
      ['NO 24 h over the spring switch 2027: Sat 03-27 12:00 CET → Sun 03-28 13:00 CEST', NO, '2027-03-27T11:00:00Z', { hours: 24, on: 'clock' }, '2027-03-28T11:00:00.000Z'],
      ['SE 48 h over Easter ignores the holidays: Thu 04-02 10:00 → Sat 04-04 10:00 CEST', SE, '2026-04-02T08:00:00Z', { hours: 48, on: 'clock' }, '2026-04-04T08:00:00.000Z'],
    ] as Array<[string, CalendarPolicy, string, Window, string]>)('%s', (_case, cal, from, window, expected) => {
      expect(dueAt(cal, new Date(from), window).toISOString()).toBe(expected);
    });
  });

  describe('end of the Nth weekday', () => {
    it.each([
      ['SE N=1 from Fri 11-20 10:00 → end of Mon 11-23', SE, '2026-11-20T09:00:00Z', next, '2026-11-23T23:00:00.000Z'],
      ['SE N=1 from Fri 05-22 before Whit Monday → end of Mon 05-25 (not a holiday in SE)', SE, '2026-05-22T08:00:00Z', next, '2026-05-25T22:00:00.000Z'],
      ['NO N=1 from Fri 05-22 before Whit Monday → end of Tue 05-26', NO, '2026-05-22T08:00:00Z', next, '2026-05-26T22:00:00.000Z'],
      ['NO N=1 from Fri 2027-05-14 before 17 May → end of Tue 05-18', NO, '2027-05-14T08:00:00Z', next, '2027-05-18T22:00:00.000Z'],
      ['SE N=1 from Fri 2027-05-14 → end of Mon 05-17', SE, '2027-05-14T08:00:00Z', next, '2027-05-17T22:00:00.000Z'],
      ['SE N=1 from Fri 03-27 over the spring switch → end of Mon 03-30 (00:00 CEST)', SE, '2026-03-27T09:00:00Z', next, '2026-03-30T22:00:00.000Z'],
      ['NO N=1 from Fri 10-23 over the autumn switch → end of Mon 10-26 (00:00 CET)', NO, '2026-10-23T08:00:00Z', next, '2026-10-26T23:00:00.000Z'],
      ['SE N=1 from Fri 2027-10-29 over the autumn switch → end of Mon 11-01', SE, '2027-10-29T09:00:00Z', next, '2027-11-01T23:00:00.000Z'],
      ['SE N=1 from Maundy Thursday 2026 → end of Tue 04-07', SE, '2026-04-02T08:00:00Z', next, '2026-04-07T22:00:00.000Z'],
      ['SE N=1 from Good Friday 2026 → end of Tue 04-07', SE, '2026-04-03T08:00:00Z', next, '2026-04-07T22:00:00.000Z'],
      ['NO N=1 from Wed 2027-03-24, Easter and the spring switch → end of Tue 03-30', NO, '2027-03-24T09:00:00Z', next, '2027-03-30T22:00:00.000Z'],
      ['SE N=1 from Wed 2027-03-24 → end of Maundy Thursday 03-25 (00:00 CET)', SE, '2027-03-24T09:00:00Z', next, '2027-03-25T23:00:00.000Z'],
      ['SE N=1 from Mon 23:30 CET → end of Tue 11-24', SE, '2026-11-23T22:30:00Z', next, '2026-11-24T23:00:00.000Z'],
      ['SE N=1 from Fri 23:30 CET → end of Mon 11-23', SE, '2026-11-20T22:30:00Z', next, '2026-11-23T23:00:00.000Z'],
      ['SE N=0 from Fri 23:30 CET → end of that Friday, 30 minutes later', SE, '2026-11-20T22:30:00Z', { endOfWeekday: 0 }, '2026-11-20T23:00:00.000Z'],
      ['SE N=0 from Sat 00:30 CET (Friday in UTC) → end of Mon 11-23', SE, '2026-11-20T23:30:00Z', { endOfWeekday: 0 }, '2026-11-23T23:00:00.000Z'],
      ['SE N=1 from a Saturday → end of Mon 11-23', SE, '2026-11-21T11:00:00Z', next, '2026-11-23T23:00:00.000Z'],
      ['SE N=0 from a Saturday → end of Mon 11-23', SE, '2026-11-21T11:00:00Z', { endOfWeekday: 0 }, '2026-11-23T23:00:00.000Z'],
      ['SE N=0 from Mon 10:00 → end of that Monday', SE, '2026-11-23T09:00:00Z', { endOfWeekday: 0 }, '2026-11-23T23:00:00.000Z'],
      ['SE N=0 from the spring DST Sunday → end of Mon 03-30', SE, '2026-03-29T10:00:00Z', { endOfWeekday: 0 }, '2026-03-30T22:00:00.000Z'],
      ['SE N=0 on Epiphany 2027 → end of Thu 01-07', SE, '2027-01-06T09:00:00Z', { endOfWeekday: 0 }, '2027-01-07T23:00:00.000Z'],
      ['NO N=0 on Epiphany 2027 (not a holiday) → end of Wed 01-06', NO, '2027-01-06T09:00:00Z', { endOfWeekday: 0 }, '2027-01-06T23:00:00.000Z'],
      ['SE N=2 from Thu 11-19 → end of Mon 11-23', SE, '2026-11-19T09:00:00Z', { endOfWeekday: 2 }, '2026-11-23T23:00:00.000Z'],
      ['SE N=1 from Thu 04-30 before 1 May → end of Mon 05-04', SE, '2026-04-30T08:00:00Z', next, '2026-05-04T22:00:00.000Z'],
      ['NO N=1 from Wed 05-13 before Ascension → end of Fri 05-15', NO, '2026-05-13T08:00:00Z', next, '2026-05-15T22:00:00.000Z'],
      ['SE N=1 from Wed 2027-05-05 before Ascension → end of Fri 05-07', SE, '2027-05-05T08:00:00Z', next, '2027-05-07T22:00:00.000Z'],
      ['SE N=1 from Thu 06-18 before Midsummer Eve 2026 → end of Mon 06-22', SE, '2026-06-18T08:00:00Z', next, '2026-06-22T22:00:00.000Z'],
      ['NO N=1 from Thu 06-18 → end of Fri 06-19', NO, '2026-06-18T08:00:00Z', next, '2026-06-19T22:00:00.000Z'],
      ['SE N=1 from Thu 2027-06-24 before Midsummer Eve 2027 → end of Mon 06-28', SE, '2027-06-24T08:00:00Z', next, '2027-06-28T22:00:00.000Z'],
      ['NO N=1 from Thu 2027-06-24 → end of Fri 06-25', NO, '2027-06-24T08:00:00Z', next, '2027-06-25T22:00:00.000Z'],
      ['SE N=1 from Wed 12-23 → end of Mon 12-28', SE, '2026-12-23T09:00:00Z', next, '2026-12-28T23:00:00.000Z'],
      ['NO N=1 from Wed 12-23 → end of Christmas Eve, Thu 12-24', NO, '2026-12-23T09:00:00Z', next, '2026-12-24T23:00:00.000Z'],
      ['SE N=5 from Mon 12-21 → end of Wed 12-30', SE, '2026-12-21T09:00:00Z', { endOfWeekday: 5 }, '2026-12-30T23:00:00.000Z'],
      ['NO N=5 from Mon 12-21 → end of Tue 12-29', NO, '2026-12-21T09:00:00Z', { endOfWeekday: 5 }, '2026-12-29T23:00:00.000Z'],
      ['SE N=1 from Wed 2026-12-30 over New Year → end of Mon 2027-01-04', SE, '2026-12-30T09:00:00Z', next, '2027-01-04T23:00:00.000Z'],
      ['NO N=1 from Wed 2026-12-30 → end of New Year\'s Eve, Thu 12-31', NO, '2026-12-30T09:00:00Z', next, '2026-12-31T23:00:00.000Z'],
      ['SE N=3 from Wed 2026-12-30 → Mon 4, Tue 5, Epiphany skipped → end of Thu 2027-01-07', SE, '2026-12-30T09:00:00Z', { endOfWeekday: 3 }, '2027-01-07T23:00:00.000Z'],
      ['SE N=1 from Thu 2027-12-23 → end of Mon 12-27', SE, '2027-12-23T09:00:00Z', next, '2027-12-27T23:00:00.000Z'],
      ['NO N=1 from Thu 2027-12-23 → end of Fri 12-24', NO, '2027-12-23T09:00:00Z', next, '2027-12-24T23:00:00.000Z'],
      ['SE N=1 from Thu 2027-12-30 over New Year → end of Mon 2028-01-03', SE, '2027-12-30T09:00:00Z', next, '2028-01-03T23:00:00.000Z'],
    ] as Array<[string, CalendarPolicy, string, Window, string]>)('%s', (_case, cal, from, window, expected) => {
      expect(dueAt(cal, new Date(from), window).toISOString()).toBe(expected);
    });
  });

  it('refuses an invalid instant or zone', () => {
    expect(() => dueAt(SE, new Date(Number.NaN), h48)).toThrow(RangeError);
    expect(() => dueAt({ country: 'SE', timeZone: 'Europe/Nowhere' }, new Date('2026-04-02T08:00:00Z'), next)).toThrow(RangeError);
  });
});
