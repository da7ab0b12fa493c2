import type { Db } from '../db/knex.ts';
import { eligibilityOf, type Eligibility } from '../domain/eligibility.ts';
import type { DirectoryFallback } from '../directory/http-adapter.ts';
import { findEstablishment, type Establishment } from '../repositories/directory.ts';

export type EligibilityResult = { establishment: Establishment; eligibility: Eligibility } | undefined;

/**
 * Looks an establishment up in the SIRENE directory (our table, then the optional API fallback) and says whether
 * it may ask for API Entreprise.
 */
export function eligibilityService(db: Db, fallback?: DirectoryFallback) {
  return {
    async check(siret: string): Promise<EligibilityResult> {
      let establishment = await findEstablishment(db, siret);
      if (!establishment && fallback && (await fallback(siret))) establishment = await findEstablishment(db, siret);
      return establishment && { establishment, eligibility: eligibilityOf(establishment) };
    },
  };
}
