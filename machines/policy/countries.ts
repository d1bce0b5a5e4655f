// The Nordic countries a policy may name: each with its IANA zone and the days its deadline
// practice treats as non-weekdays beyond date-holidays' public holidays, each choice with its
// reason. Pure data; calendar.ts reads it.

export const countries = ['SE', 'NO', 'DK', 'FI', 'IS'] as const;
export type Country = (typeof countries)[number];

/** A non-weekday date-holidays does not type 'public', found by date rule (never by name). */
export interface ExtraNonWeekday {
  /** 'MM-DD', or 'midsummer-eve' for the Friday between 19 and 25 June. */
  date: string;
  name: string;
  reason: string;
}

export interface CountryCalendar {
  timeZone: string;
  extra: readonly ExtraNonWeekday[];
  /** What the pinned date-holidays (3.37.0) says of this country, checked by test/machines/calendar-nordic.test.ts. */
  note: string;
}

export const countryCalendars: Readonly<Record<Country, CountryCalendar>> = {
  SE: {
    timeZone: 'Europe/Stockholm',
    extra: [
      { date: 'midsummer-eve', name: 'Midsummer Eve', reason: 'lag (1930:173) om beräkning av lagstadgad tid counts it with the holidays; date-holidays types it bank' },
      { date: '12-24', name: 'Christmas Eve', reason: 'lag (1930:173) counts it with the holidays; date-holidays types it bank' },
      { date: '12-31', name: "New Year's Eve", reason: 'lag (1930:173) counts it with the holidays; date-holidays types it bank' },
    ],
    note: 'Epiphany and National Day are public; Whit Monday is not (since 2005).',
  },
  NO: {
    timeZone: 'Europe/Oslo',
    extra: [],
    note: 'Maundy Thursday, Whit Monday, 1 and 17 May are public; Christmas Eve and New Year\'s Eve are working days.',
  },
  DK: {
    timeZone: 'Europe/Copenhagen',
    extra: [
      { date: '06-05', name: 'Grundlovsdag', reason: 'public offices close; retsplejeloven § 148a moves a deadline ending on it to the next weekday; date-holidays types it observance' },
      { date: '12-24', name: 'Juleaftensdag', reason: 'public offices close; retsplejeloven § 148a moves a deadline ending on it; date-holidays types it observance' },
      { date: '12-31', name: 'Nytårsaftensdag', reason: 'retsplejeloven § 148a moves a deadline ending on it; date-holidays does not list it' },
    ],
    note: 'Store Bededag is a public holiday up to 2023 and absent from 2024 (abolished by lov nr. 218 of 28 February 2023): the library has it so.',
  },
  FI: {
    timeZone: 'Europe/Helsinki',
    extra: [
      { date: 'midsummer-eve', name: 'Juhannusaatto', reason: 'laki säädettyjen määräaikain laskemisesta (150/1930) § 5 moves a deadline ending on it; date-holidays types it bank' },
      { date: '12-24', name: 'Jouluaatto', reason: 'the same law § 5 names Christmas Eve; date-holidays types it bank' },
    ],
    note: "New Year's Eve (bank in date-holidays) stays a weekday: the law of 1930 does not name it. Midsummer Day and All Saints' Day fall on Saturdays.",
  },
  IS: {
    timeZone: 'Atlantic/Reykjavik',
    extra: [],
    note: "date-holidays gives Christmas Eve and New Year's Eve as public from 13:00; the whole day counts as a non-weekday, since weekdays are counted in whole days and offices close at noon. Reykjavik keeps UTC all year: no DST.",
  },
};

/** The extra non-weekdays of `country` in `year`, as 'YYYY-MM-DD'. */
export function extraNonWeekdays(country: Country, year: number): string[] {
  return countryCalendars[country].extra.map(({ date }) => (date === 'midsummer-eve' ? midsummerEve(year) : `${year}-${date}`));
}

/** The Friday between 19 and 25 June. */
function midsummerEve(year: number): string {
  for (let day = 19; day <= 25; day++) {
    if (new Date(Date.UTC(year, 5, day)).getUTCDay() === 5) return `${year}-06-${day}`;
  }
  throw new Error('unreachable: seven consecutive days hold a Friday');
}
