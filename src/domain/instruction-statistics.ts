/** Instruction's figures as people read them: delays in days, months in words, shares in percent. Pure. */

/** « moins d’un jour », « 1 jour », « 2,5 jours »; « – » when nothing was decided yet. */
export function delayText(seconds: number | null): string {
  if (seconds === null) return '–';
  const days = seconds / 86_400;
  if (days < 1) return 'moins d’un jour';
  const shown = Math.round(days * 10) / 10;
  return `${new Intl.NumberFormat('fr-FR').format(shown)} jour${shown >= 2 ? 's' : ''}`;
}

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** « novembre 2026 » for « 2026-11 ». */
export function monthText(month: string): string {
  const [year, number] = month.split('-');
  return `${MONTHS[Number(number) - 1] ?? number} ${year}`;
}

/** « 12 % » of `part` in `whole`; « – » for nothing. */
export function shareText(part: number, whole: number): string {
  if (whole === 0) return '–';
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format((100 * part) / whole)} %`;
}

/** The last `count` months, oldest first, as « YYYY-MM », ending with the month of `now` in Paris. */
export function lastMonths(now: Date, count: number): string[] {
  const [year, month] = new Intl.DateTimeFormat('fr-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
  })
    .format(now)
    .split('-')
    .map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const index = year * 12 + (month - 1) - (count - 1 - i);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}
