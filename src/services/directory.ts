import type { Knex } from 'knex';
import { eligibilityOf } from '../domain/eligibility.ts';
import { searchEstablishments, SEARCH_MIN_LENGTH } from '../repositories/directory.ts';

export type DirectorySearch = {
  results: (Awaited<ReturnType<typeof searchEstablishments>>[number] & { eligible: boolean })[];
  /** Nothing found because the query has too few letters or digits to search on. */
  tooShort: boolean;
};

/** « Retrouver le SIRET de votre organisation »: the directory searched by name, each result with its eligibility. */
export function directoryService(db: Knex) {
  return {
    async search(query: string, limit = 20): Promise<DirectorySearch> {
      const found = query ? await searchEstablishments(db, query, limit) : [];
      return {
        results: found.map((e) => ({ ...e, eligible: eligibilityOf(e).eligible })),
        tooShort: query !== '' && found.length === 0 && query.replace(/[^\p{L}\p{N}]/gu, '').length < SEARCH_MIN_LENGTH,
      };
    },
  };
}
