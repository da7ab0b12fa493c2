import type { Knex } from 'knex';

export type Establishment = {
  siret: string;
  siren: string;
  name: string;
  sigle: string | null;
  enseigne: string | null;
  legalCategoryCode: string | null;
  legalCategoryLabel: string | null;
  legalCategoryEligible: boolean | null;
  naf: string | null;
  nafLabel: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  active: boolean;
};

/** What the directory says of an establishment, for a SIRET lookup and for each search result alike. */
const ESTABLISHMENT_COLUMNS = [
  'e.siret',
  'e.siren',
  'e.name',
  'e.sigle',
  'e.enseigne',
  'e.naf',
  'e.street',
  'e.city',
  'e.active',
  'e.legal_category_code as legalCategoryCode',
  'c.label as legalCategoryLabel',
  'c.eligible as legalCategoryEligible',
  'e.naf_label as nafLabel',
  'e.postal_code as postalCode',
];

export async function findEstablishment(db: Knex, siret: string): Promise<Establishment | undefined> {
  const row = await db('establishments as e')
    .leftJoin('legal_categories as c', 'c.code', 'e.legal_category_code')
    .where('e.siret', siret)
    .first(...ESTABLISHMENT_COLUMNS);
  return row as Establishment | undefined;
}

export const SEARCH_MIN_LENGTH = 3;
/** Matches ranked per search, at most: a vague query (« saint ») matches tens of thousands of establishments. */
const CANDIDATES = 2000;
/** Lower than pg_trgm's default (0.6), so that one wrong letter in a short word still matches (« beauont »). */
const TYPO_THRESHOLD = '0.5';

/** The columns of an Establishment, from the first CANDIDATES rows of `candidates` (a query on establishments). */
function fromCandidates(db: Knex, candidates: Knex.QueryBuilder) {
  return db
    .from(candidates.select('*').limit(CANDIDATES).as('e'))
    .leftJoin('legal_categories as c', 'c.code', 'e.legal_category_code')
    .select(ESTABLISHMENT_COLUMNS);
}

/**
 * Names that contain the normalised query (trigram index), closest first: names that start with it as whole words,
 * then that hold it as whole words, then as the start of a word, then anywhere; shorter names first within each.
 * q holds only a-z, 0-9 and single spaces (directory_normalise): no LIKE wildcard to escape.
 */
function containing(db: Knex, q: string, limit: number) {
  return fromCandidates(db, db('establishments').whereRaw("search_name LIKE '%' || ? || '%'", [q]))
    .orderBy('e.active', 'desc')
    .orderByRaw(
      `CASE WHEN e.search_name = ? OR e.search_name LIKE ? || ' %' THEN 3
            WHEN ' ' || e.search_name || ' ' LIKE '% ' || ? || ' %' THEN 2
            WHEN ' ' || e.search_name LIKE '% ' || ? || '%' THEN 1 ELSE 0 END DESC, length(e.search_name), e.name, e.siret`,
      [q, q, q, q],
    )
    .limit(limit);
}

/** When nothing contains the query (a typo): names where every word of 3 characters or more is close to a word. */
async function resembling(db: Knex, q: string, limit: number): Promise<Establishment[]> {
  const words = q.split(' ').filter((word) => word.length >= SEARCH_MIN_LENGTH);
  if (words.length === 0) return [];
  return db.transaction(async (trx) => {
    await trx.raw('SELECT set_config(?, ?, true)', ['pg_trgm.word_similarity_threshold', TYPO_THRESHOLD]);
    const candidates = trx('establishments');
    for (const word of words) candidates.whereRaw('? <% search_name', [word]);
    return (await fromCandidates(trx, candidates)
      .orderBy('e.active', 'desc')
      .orderByRaw('word_similarity(?, e.search_name) DESC, length(e.search_name), e.name, e.siret', [q])
      .limit(limit)) as Establishment[];
  });
}

/**
 * Establishments whose name, sigle, sign or legal unit's name matches `query`, whatever its accents, case and
 * punctuation; active ones first. Fewer than 3 letters or digits: no search, []. When no name contains the query,
 * a second pass tolerates typos (pg_trgm word similarity). A query matching more than CANDIDATES establishments
 * is ranked among the first CANDIDATES found: it is too vague for the order to mean much.
 */
export async function searchEstablishments(db: Knex, query: string, limit = 10): Promise<Establishment[]> {
  const { rows } = (await db.raw('SELECT directory_normalise(?) AS q', [query])) as { rows: { q: string | null }[] };
  const q = rows[0]?.q ?? '';
  if (q.length < SEARCH_MIN_LENGTH) return [];
  const found = (await containing(db, q, limit)) as Establishment[];
  return found.length > 0 ? found : resembling(db, q, limit);
}
