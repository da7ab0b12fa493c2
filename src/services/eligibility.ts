import type { Db } from '../db/knex.ts';
import { eligibilityOf, type Eligibility } from '../domain/eligibility.ts';
import { findEstablishment, type Establishment } from '../repositories/directory.ts';

export type EligibilityResult = { establishment: Establishment; eligibility: Eligibility } | undefined;

/** Looks an establishment up in the SIRENE directory and says whether it may ask for API Entreprise. */
export function eligibilityService(db: Db) {
  return {
    async check(siret: string): Promise<EligibilityResult> {
      const establishment = await findEstablishment(db, siret);
      return establishment && { establishment, eligibility: eligibilityOf(establishment) };
    },
  };
}
