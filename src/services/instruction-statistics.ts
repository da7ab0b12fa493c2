import type { Knex } from 'knex';
import { delayText, lastMonths, monthText, shareText } from '../domain/instruction-statistics.ts';
import { INSTRUCTION_STATUSES } from '../domain/instruction-list.ts';
import { STATUS_LABELS } from '../domain/request-states.ts';
import { decisionDelays, statusCounts, submissionsPerMonth } from '../repositories/instruction-statistics.ts';

const MONTHS = 12;
const EXPECTED_DELAY_MONTHS = 6;
const EXPECTED_DELAY_CACHE_MS = 60 * 60_000;

/** Instruction's figures for `/instruction/statistiques`, and the expected delay applicants read before submitting. */
export function instructionStatisticsService(db: Knex, clock: () => Date = () => new Date()) {
  let expected: { at: number; text: string } | undefined;
  const monthsAgo = (n: number) => {
    const date = clock();
    date.setMonth(date.getMonth() - n);
    return date;
  };
  return {
    async page() {
      const [counts, perMonth, year, half] = await Promise.all([
        statusCounts(db),
        submissionsPerMonth(db, MONTHS),
        decisionDelays(db, monthsAgo(MONTHS)),
        decisionDelays(db, monthsAgo(EXPECTED_DELAY_MONTHS)),
      ]);
      const byMonth = new Map(perMonth.map((m) => [m.month, m.count]));
      return {
        statuses: INSTRUCTION_STATUSES.map((s) => ({ label: STATUS_LABELS[s].text, count: counts[s] ?? 0 })),
        months: lastMonths(clock(), MONTHS).map((m) => ({ label: monthText(m), count: byMonth.get(m) ?? 0 })),
        periods: [
          { label: `${MONTHS} derniers mois`, figures: year },
          { label: `${EXPECTED_DELAY_MONTHS} derniers mois`, figures: half },
        ].map(({ label, figures }) => ({
          label,
          submitted: figures.submitted,
          decided: figures.decided,
          firstMedian: delayText(figures.firstMedian),
          firstP90: delayText(figures.firstP90),
          finalMedian: delayText(figures.finalMedian),
          finalP90: delayText(figures.finalP90),
          sentBack: shareText(figures.sentBack, figures.submitted),
        })),
      };
    },

    /**
     * « 4,5 jours »: the median time from submission to final decision over the last six months, for applicants
     * (undefined before any decision); computed at most once an hour once there is one.
     */
    async expectedDelay(): Promise<string | undefined> {
      if (expected && clock().getTime() - expected.at < EXPECTED_DELAY_CACHE_MS) return expected.text;
      const figures = await decisionDelays(db, monthsAgo(EXPECTED_DELAY_MONTHS));
      if (figures.finalMedian === null) return undefined; // nothing decided yet: asked again next time
      expected = { at: clock().getTime(), text: delayText(figures.finalMedian) };
      return expected.text;
    },
  };
}
