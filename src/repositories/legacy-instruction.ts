import type { Knex } from 'knex';
import type { LegacyStatus } from '../domain/legacy-dossiers.ts';
import type { LegacyDossier } from './legacy-dossiers.ts';

export type LegacyListFilters = {
  status?: string;
  search?: string;
  /** ISO calendar dates (Paris), both included, on the deposit date. */
  from?: string;
  to?: string;
  /** The number the previous page stopped at (the list goes from the highest number down). */
  before?: string;
};

export type LegacyListRow = Pick<
  LegacyDossier,
  'number' | 'dsState' | 'status' | 'email' | 'siret' | 'organisationName' | 'depositedAt' | 'processedAt'
> & { authorizationId: string | null };

/**
 * The search over dossiers: a number is the dossier's (or appears in its fields), a SIRET its organisation's, any
 * other text the folded number, email, SIRET and fields' values (as the requests' search folds them).
 */
function matching(query: Knex.QueryBuilder, search: string): Knex.QueryBuilder {
  const compact = search.replace(/ /g, '');
  if (/^\d{14}$/.test(compact)) return query.where('d.siret', compact);
  return query.where((q) => {
    if (/^\d{1,15}$/.test(compact)) q.where('d.number', compact);
    q.orWhereRaw("d.search_text LIKE '%' || directory_normalise(?) || '%' AND directory_normalise(?) <> ''", [
      search,
      search,
    ]);
  });
}

function filtered(db: Knex, filters: LegacyListFilters): Knex.QueryBuilder {
  const query = db('legacy_dossiers as d');
  if (filters.search) matching(query, filters.search);
  if (filters.from)
    query.whereRaw("d.deposited_at >= (?::date)::timestamp AT TIME ZONE 'Europe/Paris'", [filters.from]);
  if (filters.to) query.whereRaw("d.deposited_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'", [filters.to]);
  return query;
}

/** One page, highest number first, `limit + 1` rows (whether a next page exists). */
export async function legacyListPage(db: Knex, filters: LegacyListFilters, limit: number): Promise<LegacyListRow[]> {
  const query = filtered(db, filters)
    .leftJoin('organisations as o', 'o.siret', 'd.siret')
    .leftJoin('establishments as e', 'e.siret', 'd.siret')
    .orderBy('d.number', 'desc')
    .limit(limit + 1)
    .select(
      'd.number',
      'd.ds_state as dsState',
      'd.status',
      'd.email',
      'd.siret',
      'd.authorization_id as authorizationId',
    )
    .select('d.deposited_at as depositedAt', 'd.processed_at as processedAt')
    .select(db.raw('coalesce(o.name, e.name) as "organisationName"'));
  if (filters.status) query.where('d.status', filters.status);
  if (filters.before) query.where('d.number', '<', filters.before);
  return (await query) as LegacyListRow[];
}

/** Dossiers per status under the other filters. */
export async function legacyListCounts(db: Knex, filters: LegacyListFilters): Promise<Record<LegacyStatus, number>> {
  const rows = (await filtered(db, filters).groupBy('d.status').select('d.status').count({ n: '*' })) as {
    status: LegacyStatus;
    n: string;
  }[];
  const counts: Record<LegacyStatus, number> = { draft: 0, submitted: 0, validated: 0, refused: 0, archived: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** How many dossiers a search of the requests' list also finds (said there, with a link to them). */
export async function legacyMatchCount(db: Knex, search: string): Promise<number> {
  const [row] = (await matching(db('legacy_dossiers as d'), search).count({ n: '*' })) as { n: string }[];
  return Number(row?.n ?? 0);
}
