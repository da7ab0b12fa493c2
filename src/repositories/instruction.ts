import type { Knex } from 'knex';
import { countedByCounters, INSTRUCTION_STATUSES, type ListFilters } from '../domain/instruction-list.ts';
import type { RequestStatus } from '../domain/request-states.ts';

export type InstructionRow = {
  id: string;
  title: string | null;
  status: RequestStatus;
  organisationName: string;
  siret: string;
  useCaseLabel: string;
  applicantName: string;
  applicantEmail: string;
  submittedAt: Date;
  updatedAt: Date;
  assigneeName: string | null;
  /** The sort column in microseconds since 1970 (text: beyond 2^53 in JavaScript), for the next page's cursor. */
  sortMicros: string;
};

const SORT_COLUMNS = { depot: 'r.submitted_at', modification: 'r.updated_at' } as const;

/** Every filter but the status and the cursor: what the counts per status are taken over. */
function filtered(db: Knex, filters: ListFilters, viewerId: string): Knex.QueryBuilder {
  const query = db('access_requests as r').whereIn('r.status', INSTRUCTION_STATUSES).whereNotNull('r.submitted_at');
  if (filters.useCase) query.where('r.use_case_id', filters.useCase);
  if (filters.assignment === 'moi') query.where('r.assigned_to', viewerId);
  if (filters.assignment === 'personne') query.whereNull('r.assigned_to');
  if (filters.assignment === 'autre') query.whereNot('r.assigned_to', viewerId); // NULL is not "someone else"
  // Calendar days in Paris, the instructors' time: from the first day's midnight to the last day's end.
  if (filters.from)
    query.whereRaw("r.submitted_at >= (?::date)::timestamp AT TIME ZONE 'Europe/Paris'", [filters.from]);
  if (filters.to) query.whereRaw("r.submitted_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'", [filters.to]);
  if (filters.search) matchingSearch(query, filters.search);
  return query;
}

/**
 * The search: the folded text of each request contains the folded search (directory_normalise holds only a-z, 0-9
 * and single spaces: no LIKE wildcard to escape). A SIRET (14 digits, spaces allowed) is the organisation's: its
 * requests come from the organisation's index, not from the trigrams of digits that half the requests share.
 */
function matchingSearch(query: Knex.QueryBuilder, search: string): Knex.QueryBuilder {
  const siret = search.replace(/ /g, '');
  if (/^\d{14}$/.test(siret))
    return query.whereIn('r.organisation_id', (sub: Knex.QueryBuilder) =>
      sub.from('organisations').where('siret', siret).select('id'),
    );
  return query.whereRaw("r.search_text LIKE '%' || directory_normalise(?) || '%' AND directory_normalise(?) <> ''", [
    search,
    search,
  ]);
}

/**
 * A search's page is first looked for among the newest requests in the list's order: when this many of them hold
 * the page's rows, those are the newest matches of all (any other match is older), found by walking the order's index
 * instead of reading every match of a common word and sorting them. Fewer: the search's own index.
 */
export const SEARCH_WINDOW = 5_000;

/** The list's rows with what each shows: organisation, use case, applicant and assignee (the page and the export). */
function withListColumns(db: Knex, query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query
    .join('organisations as o', 'o.id', 'r.organisation_id')
    .join('use_cases as uc', 'uc.id', 'r.use_case_id')
    .join('users as a', 'a.id', 'r.created_by')
    .leftJoin('users as i', 'i.id', 'r.assigned_to')
    .select('r.id', 'r.title', 'r.status', 'uc.label as useCaseLabel', 'o.name as organisationName', 'o.siret')
    .select('a.email as applicantEmail')
    .select(db.raw(`a.given_name || ' ' || a.family_name as "applicantName"`))
    .select(db.raw(`i.given_name || ' ' || i.family_name as "assigneeName"`));
}

/**
 * One page of the list, newest first by the chosen date, then by number: keyset pagination (the rows after the
 * cursor, never an OFFSET), `limit + 1` rows so that the caller knows whether a next page exists.
 */
export async function instructionPage(
  db: Knex,
  filters: ListFilters,
  viewerId: string,
  limit: number,
  window = SEARCH_WINDOW,
): Promise<InstructionRow[]> {
  const column = SORT_COLUMNS[filters.sort];
  const order = [
    { column, order: 'desc' as const },
    { column: 'r.id', order: 'desc' as const },
  ];
  /** The requests of the list under every filter but the search, after the cursor, in the list's order. */
  const candidates = (search?: string) => {
    const query = filtered(db, { ...filters, search }, viewerId);
    if (filters.status) query.where('r.status', filters.status);
    if (filters.after)
      query.whereRaw("(??, r.id) < (timestamptz 'epoch' + ? * interval '1 microsecond', ?)", [
        column,
        filters.after.micros,
        filters.after.id,
      ]);
    return query;
  };
  const page = (from: Knex.QueryBuilder) =>
    withListColumns(db, from)
      .select('r.submitted_at as submittedAt', 'r.updated_at as updatedAt')
      .select(db.raw('(extract(epoch from ??) * 1000000)::bigint::text as "sortMicros"', [column]))
      .orderBy(order)
      .limit(limit + 1);
  if (filters.search && !/^\d{14}$/.test(filters.search.replace(/ /g, ''))) {
    const newest = candidates().select('r.*').orderBy(order).limit(window).as('r');
    const rows = (await matchingSearch(page(db.from(newest)), filters.search)) as InstructionRow[];
    if (rows.length === limit + 1) return rows;
  }
  return (await page(candidates(filters.search))) as InstructionRow[];
}

/**
 * The whole filtered list in the list's order, for the CSV export: a query to run on a cursor (never loaded at once),
 * dates already as a French spreadsheet reads them (Paris time).
 */
export function instructionExportQuery(db: Knex, filters: ListFilters, viewerId: string): Knex.QueryBuilder {
  const column = SORT_COLUMNS[filters.sort];
  const query = withListColumns(db, filtered(db, filters, viewerId))
    .select(db.raw(`to_char(r.submitted_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') as "submittedAt"`))
    .select(db.raw(`to_char(r.updated_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') as "updatedAt"`))
    .orderBy([
      { column, order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ]);
  if (filters.status) query.where('r.status', filters.status);
  return query;
}

/** A list narrowed by dates counts its matches up to this many: counting further costs more than it tells. */
export const COUNT_SAMPLE = 10_000;
/**
 * A search counts fewer: each match is checked again against its text, and past a thousand matches the instructor
 * refines the words rather than reads the numbers (a broad search at 1,000,000 requests, bench/README.md).
 */
export const SEARCH_COUNT_SAMPLE = 1_000;

export type StatusCounts = {
  counts: Record<RequestStatus, number>;
  /** More requests match the dates or the search than `sample`: the counts are those of `sample` of them. */
  sampled: boolean;
  sample: number;
};

/**
 * How many requests of each status match the other filters (the status filter's choices show them). Under the use
 * case and assignment filters, sums of the counters the database keeps (migration 20261202200001); a date range or a
 * search counts its matches, at most COUNT_SAMPLE + 1 (SEARCH_COUNT_SAMPLE + 1) of them, so that no page counts a
 * million rows.
 */
export async function instructionCounts(db: Knex, filters: ListFilters, viewerId: string): Promise<StatusCounts> {
  const counts = Object.fromEntries(INSTRUCTION_STATUSES.map((s) => [s, 0])) as Record<RequestStatus, number>;
  if (countedByCounters(filters)) {
    const query = db('request_counts')
      .whereIn('status', INSTRUCTION_STATUSES)
      .select('status')
      .sum('count as count')
      .groupBy('status');
    if (filters.useCase) query.where('use_case_id', filters.useCase);
    if (filters.assignment === 'moi') query.where('assigned_to', viewerId);
    if (filters.assignment === 'personne') query.where('assigned_to', 0);
    if (filters.assignment === 'autre') query.whereNot('assigned_to', viewerId).whereNot('assigned_to', 0);
    const rows = (await query) as { status: RequestStatus; count: string }[];
    for (const row of rows) counts[row.status] = Number(row.count);
    return { counts, sampled: false, sample: COUNT_SAMPLE };
  }
  const sample = filters.search ? SEARCH_COUNT_SAMPLE : COUNT_SAMPLE;
  const matches = filtered(db, filters, viewerId)
    .select('r.status')
    .limit(sample + 1)
    .as('t');
  const rows = (await db.from(matches).select('t.status').count('* as count').groupBy('t.status')) as {
    status: RequestStatus;
    count: string;
  }[];
  let total = 0;
  for (const row of rows) {
    counts[row.status] = Number(row.count);
    total += Number(row.count);
  }
  return { counts, sampled: total > sample, sample };
}

/** Rewrites what instructors search for one request (after a change of state: a submission carries the new title). */
export async function refreshSearchText(db: Knex, requestId: string): Promise<void> {
  await db.raw(
    `UPDATE access_requests r SET search_text = directory_normalise(concat_ws(' ', r.id::text, r.title, o.name,
       o.siret, u.given_name, u.family_name, u.email))
     FROM organisations o, users u WHERE r.id = ? AND o.id = r.organisation_id AND u.id = r.created_by`,
    [requestId],
  );
}
