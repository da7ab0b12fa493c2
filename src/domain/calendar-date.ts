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

/** « 14:30 », « 14h30 », « 14 h 30 », « 9:05 » → minutes after midnight; undefined otherwise. */
export function checkClockTime(text: string): number | undefined {
  const match = /^(\d{1,2})\s*[:hH]\s*(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : undefined;
}

/** The instant a Paris wall clock shows `iso` (YYYY-MM-DD) at `minutes` after midnight (summer time included). */
export function parisInstant(iso: string, minutes: number): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, Math.floor(minutes / 60), minutes % 60);
  // Paris is UTC+1 or UTC+2: try both, keep the one Paris reads back as the wall clock typed.
  for (const offset of [1, 2]) {
    const candidate = new Date(asUtc - offset * 3600_000);
    if (parisWallClock(candidate) === asUtc) return candidate;
  }
  return new Date(asUtc - 3600_000); // a time skipped by the change to summer time: read as winter time
}

function parisWallClock(instant: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!);
}

/** The Paris wall clock of an instant, as the forms show it back: « 03/12/2026 » and « 14:30 ». */
export function parisDateAndTime(instant: Date): { date: string; time: string } {
  const wall = new Date(parisWallClock(instant));
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${two(wall.getUTCDate())}/${two(wall.getUTCMonth() + 1)}/${wall.getUTCFullYear()}`,
    time: `${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`,
  };
}
