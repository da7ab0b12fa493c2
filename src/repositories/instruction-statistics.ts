import type { Knex } from 'knex';
import type { RequestStatus } from '../domain/request-states.ts';

/** Submissions per month (Paris calendar), the `months` last ones, oldest first; months without any are absent. */
export async function submissionsPerMonth(db: Knex, months: number): Promise<{ month: string; count: number }[]> {
  const rows = (await db('access_requests')
    .whereNotNull('submitted_at')
    .whereRaw("submitted_at >= date_trunc('month', now() AT TIME ZONE 'Europe/Paris') - (? * interval '1 month')", [
      months - 1,
    ])
    .select(db.raw(`to_char(submitted_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM') as month`))
    .count('* as count')
    .groupByRaw('1')
    .orderBy('month')) as { month: string; count: string }[];
  return rows.map((r) => ({ month: r.month, count: Number(r.count) }));
}

export async function statusCounts(db: Knex): Promise<Partial<Record<RequestStatus, number>>> {
  const rows = (await db('request_counts').select('status').sum('count as count').groupBy('status')) as {
    status: RequestStatus;
    count: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
}

export type DelayFigures = {
  /** Requests first submitted in the period. */
  submitted: number;
  /** Of them, sent back for changes at least once. */
  sentBack: number;
  /** Seconds from the first submission to the first decision (changes asked, validated, refused), and to the final one. */
  firstMedian: number | null;
  firstP90: number | null;
  finalMedian: number | null;
  finalP90: number | null;
  decided: number;
};

/** Delays of instruction for requests first submitted since `since`, read from the history of each request. */
export async function decisionDelays(db: Knex, since: Date): Promise<DelayFigures> {
  const result = await db.raw(
    `WITH firsts AS (
       SELECT request_id,
         min(created_at) FILTER (WHERE kind = 'submitted') AS submitted,
         min(created_at) FILTER (WHERE kind IN ('changes_requested', 'validated', 'refused')) AS first_decision,
         min(created_at) FILTER (WHERE kind IN ('validated', 'refused')) AS final_decision,
         bool_or(kind = 'changes_requested') AS sent_back
       FROM request_events
       WHERE kind IN ('submitted', 'changes_requested', 'validated', 'refused')
       GROUP BY request_id)
     SELECT count(*) AS submitted,
       count(*) FILTER (WHERE sent_back) AS "sentBack",
       count(final_decision) AS decided,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_decision - submitted)) AS "firstMedian",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_decision - submitted)) AS "firstP90",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM final_decision - submitted)) AS "finalMedian",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM final_decision - submitted)) AS "finalP90"
     FROM firsts WHERE submitted >= ?`,
    [since],
  );
  const row = (result as { rows: Record<string, string | number | null>[] }).rows[0]!;
  const number = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    submitted: Number(row.submitted),
    sentBack: Number(row.sentBack),
    decided: Number(row.decided),
    firstMedian: number(row.firstMedian),
    firstP90: number(row.firstP90),
    finalMedian: number(row.finalMedian),
    finalP90: number(row.finalP90),
  };
}
