// Calendar dates and years in the organisation's time zone: a journal date is the local day.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function localDate(iso: string, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format.format(new Date(iso));
}
