/**
 * Calendar dates as French people type them: « 01/03/2027 », « 1/3/2027 », « 1.3.2027 », « 1-3-2027 », and the
 * ISO form « 2027-03-01 » that date pickers send. Stored as ISO (YYYY-MM-DD), shown back as JJ/MM/AAAA.
 */
export type CalendarDateCheck = { ok: true; iso: string } | { ok: false; reason: 'format' | 'calendar' };

export function checkCalendarDate(text: string): CalendarDateCheck {
  const value = text.trim();
  const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const parts = french ? [french[3], french[2], french[1]] : iso ? [iso[1], iso[2], iso[3]] : undefined;
  if (!parts) return { ok: false, reason: 'format' };
  const [y, m, d] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { ok: false, reason: 'calendar' };
  return { ok: true, iso: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** « 01/03/2027 » for a stored ISO date; anything else as it is. */
export function typedCalendarDate(value: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return iso ? `${iso[3]}/${iso[2]}/${iso[1]}` : value;
}
