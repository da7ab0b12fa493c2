/** Dates and times as French text, for pages and emails (Europe/Paris). */
const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Paris' });
const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});

/** The texts of recent minutes: every page of a signed-in user shows one or two, and formatting costs ~10 µs each. */
const timesByMinute = new Map<number, string>();
const KEPT_MINUTES = 1024;

/** "14 h 32", the French typographic form. A minute reads the same whatever its seconds (offsets are whole minutes). */
export function frenchTime(value: Date): string {
  const minute = Math.floor(value.getTime() / 60_000);
  if (Number.isNaN(minute)) return timeFormat.format(value); // an invalid date: Intl's RangeError, as before
  let text = timesByMinute.get(minute);
  if (text === undefined) {
    text = timeFormat.format(value).replace(':', ' h ');
    if (timesByMinute.size >= KEPT_MINUTES) timesByMinute.clear();
    timesByMinute.set(minute, text);
  }
  return text;
}

/**
 * « 1er mars 2027 », « 12 mars 2027 »: a date as French text, never 2027-03-01. A calendar date (YYYY-MM-DD, as typed
 * in a date field) is that day wherever the server runs; something that is not a date is shown as it is.
 */
export function frenchDate(value: Date | string | number): string {
  if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}(T.+)?$/.test(value)) return value; // never guess « 01/03/2027 »
  const calendar = typeof value === 'string' && value.length === 10;
  const date = calendar ? new Date(`${value}T12:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return dateFormat.format(date).replace(/^1 /, '1er ');
}
