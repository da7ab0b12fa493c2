/** Dates and times as French text, for pages and emails (Europe/Paris). */
const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Paris' });
const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});

/** "14 h 32", the French typographic form. */
export function frenchTime(value: Date): string {
  return timeFormat.format(value).replace(':', ' h ');
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
