// The business-time calendar against hand-checked dates of 2026 and 2027 in Sweden and Norway:
// Easter, Ascension, Whitsun, Midsummer, 17 May, Christmas, New Year and both DST switches.
import { describe, expect, it } from 'vitest';
import { dueAt, isWeekday, localDate, type CalendarPolicy } from '../../machines/policy/calendar.ts';
import type { Window } from '../../machines/policy/policy.schema.ts';

const SE: CalendarPolicy = { country: 'SE', timeZone: 'Europe/Stockholm' };
const NO: CalendarPolicy = { country: 'NO', timeZone: 'Europe/Oslo' };

describe('weekdays', () => {
  it.each([
    // date, weekday in SE, weekday in NO, what the day is
    ['2026-04-02', true, false, 'Maundy Thursday: a holiday in NO only'],
    ['2026-04-03', false, false, 'Good Friday'],
    ['2026-04-06', false, false, 'Easter Monday'],
    ['2026-05-01', false, false, 'May Day'],
    ['2026-05-14', false, false, 'Ascension Day'],
    ['2026-05-15', true, true, 'the Friday after Ascension'],
    ['2026-05-25', true, false, 'Whit Monday: a holiday in NO only since 2005 in SE'],
    ['2026-06-19', false, true, 'Midsummer Eve: SE counts it as a holiday'],
    ['2026-06-22', true, true, 'the Monday after Midsummer'],
    ['2026-12-24', false, true, 'Christmas Eve: SE counts it as a holiday'],
    ['2026-12-25', false, false, 'Christmas Day'],
    ['2026-12-28', true, true, 'the Monday after Christmas'],
    ['2026-12-31', false, true, 'New Year\'s Eve: SE counts it as a holiday'],
    ['2027-01-01', false, false, 'New Year\'s Day'],
    ['2027-01-06', false, true, 'Epiphany: a holiday in SE only'],
    ['2027-03-25', true, false, 'Maundy Thursday 2027'],
    ['2027-03-26', false, false, 'Good Friday 2027'],
    ['2027-03-29', false, false, 'Easter Monday 2027'],
    ['2027-05-06', false, false, 'Ascension Day 2027'],
    ['2027-05-17', true, false, 'Constitution Day and Whit Monday in NO'],
    ['2027-06-25', false, true, 'Midsummer Eve 2027'],
    ['2026-03-29', false, false, 'the Sunday of the spring DST switch'],
    ['2026-03-30', true, true, 'the Monday after the spring switch'],
    ['2026-11-21', false, false, 'a Saturday'],
    ['2026-11-23', true, true, 'an ordinary Monday'],
  ])('%s is a weekday in SE: %s, in NO: %s (%s)', (date, inSweden, inNorway) => {
    expect(isWeekday(SE, date)).toBe(inSweden);
    expect(isWeekday(NO, date)).toBe(inNorway);
  });

  it('reads the local date in the organisation\'s zone', () => {
    expect(localDate(SE, new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
    expect(localDate(SE, new Date('2026-06-30T21:59:59Z'))).toBe('2026-06-30');
  });
});

describe('due instants', () => {
  const h48weekdays: Window = { hours: 48, on: 'weekdays' };
  const nextWeekday: Window = { endOfWeekday: 1 };

  it.each([
    // RULES.md's example: Thu 10:00, Good Friday and Easter Monday skipped → Wed 10:00 (CEST).
    ['SE 48 weekday hours over Easter 2026 (RULES.md example)', SE, '2026-04-02T08:00:00Z', h48weekdays, '2026-04-08T08:00:00.000Z'],
    ['NO 48 weekday hours from Maundy Thursday: counting starts Tue 7 April', NO, '2026-04-02T08:00:00Z', h48weekdays, '2026-04-08T22:00:00.000Z'],
    ['SE 24 weekday hours over the autumn DST switch', SE, '2026-10-23T10:00:00Z', { hours: 24, on: 'weekdays' }, '2026-10-26T11:00:00.000Z'],
    ['SE 24 weekday hours over the spring DST switch', SE, '2026-03-27T11:00:00Z', { hours: 24, on: 'weekdays' }, '2026-03-30T10:00:00.000Z'],
    ['SE 48 clock hours over the spring DST switch (Sat 12:00 CET → Mon 13:00 CEST)', SE, '2026-03-28T11:00:00Z', { hours: 48, on: 'clock' }, '2026-03-30T11:00:00.000Z'],
    ['SE 48 clock hours over the autumn DST switch', SE, '2026-10-24T10:00:00Z', { hours: 48, on: 'clock' }, '2026-10-26T10:00:00.000Z'],
    ['SE end of the next weekday from a Friday', SE, '2026-11-20T09:00:00Z', nextWeekday, '2026-11-23T23:00:00.000Z'],
    ['SE end of the next weekday from Maundy Thursday: Tue 7 April', SE, '2026-04-02T08:00:00Z', nextWeekday, '2026-04-07T22:00:00.000Z'],
    ['SE end of the next weekday from 23:30 local', SE, '2026-11-23T22:30:00Z', nextWeekday, '2026-11-24T23:00:00.000Z'],
    ['SE end of the next weekday from a Saturday', SE, '2026-11-21T11:00:00Z', nextWeekday, '2026-11-23T23:00:00.000Z'],
    ['SE end of the same weekday (N = 0)', SE, '2026-11-23T09:00:00Z', { endOfWeekday: 0 }, '2026-11-23T23:00:00.000Z'],
    ['SE end of the first weekday from a Saturday (N = 0)', SE, '2026-11-21T11:00:00Z', { endOfWeekday: 0 }, '2026-11-23T23:00:00.000Z'],
    ['SE end of the second weekday from a Thursday', SE, '2026-11-19T09:00:00Z', { endOfWeekday: 2 }, '2026-11-23T23:00:00.000Z'],
    ['SE next weekday before Midsummer Eve 2026: Monday 22 June', SE, '2026-06-18T08:00:00Z', nextWeekday, '2026-06-22T22:00:00.000Z'],
    ['NO next weekday before Midsummer Eve 2026: the Friday itself', NO, '2026-06-18T08:00:00Z', nextWeekday, '2026-06-19T22:00:00.000Z'],
    ['SE next weekday before Christmas 2026: Monday 28 December', SE, '2026-12-23T09:00:00Z', nextWeekday, '2026-12-28T23:00:00.000Z'],
    ['NO next weekday before Christmas 2026: Christmas Eve', NO, '2026-12-23T09:00:00Z', nextWeekday, '2026-12-24T23:00:00.000Z'],
    ['NO next weekday before 17 May 2027: Tuesday 18 May', NO, '2027-05-14T08:00:00Z', nextWeekday, '2027-05-18T22:00:00.000Z'],
    ['SE next weekday before 17 May 2027: Monday 17 May', SE, '2027-05-14T08:00:00Z', nextWeekday, '2027-05-17T22:00:00.000Z'],
    ['SE next weekday before Ascension 2027: Friday 7 May', SE, '2027-05-05T08:00:00Z', nextWeekday, '2027-05-07T22:00:00.000Z'],
    ['NO next weekday before Easter 2027 and its DST switch: Tuesday 30 March', NO, '2027-03-24T09:00:00Z', nextWeekday, '2027-03-30T22:00:00.000Z'],
    ['SE next weekday before Easter 2027: Maundy Thursday', SE, '2027-03-24T09:00:00Z', nextWeekday, '2027-03-25T23:00:00.000Z'],
    ['SE next weekday over New Year 2027/28: Monday 3 January 2028', SE, '2027-12-30T09:00:00Z', nextWeekday, '2028-01-03T23:00:00.000Z'],
    // Fri 29 Oct 11:00 CEST leaves 13 h; Mon 1 Nov is a weekday (All Saints' is Sat 6 Nov): 24 h; Tue 11 h → 11:00 CET.
    ['SE 48 weekday hours over the autumn DST switch 2027', SE, '2027-10-29T09:00:00Z', h48weekdays, '2027-11-02T10:00:00.000Z'],
  ] as Array<[string, CalendarPolicy, string, Window, string]>)('%s', (_case, cal, from, window, expected) => {
    expect(dueAt(cal, new Date(from), window).toISOString()).toBe(expected);
  });
});
