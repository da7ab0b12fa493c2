/** Eligibility of an establishment to API Entreprise: open, and a legal category of a public body. */
export type EligibilityInput = {
  active: boolean;
  legalCategoryCode: string | null;
  legalCategoryEligible: boolean | null;
};
export type Eligibility =
  { eligible: true } | { eligible: false; reason: 'closed' | 'legal_category' | 'unknown_category' };

export function eligibilityOf(establishment: EligibilityInput): Eligibility {
  if (!establishment.active) return { eligible: false, reason: 'closed' };
  if (establishment.legalCategoryCode === null || establishment.legalCategoryEligible === null) {
    return { eligible: false, reason: 'unknown_category' };
  }
  return establishment.legalCategoryEligible ? { eligible: true } : { eligible: false, reason: 'legal_category' };
}
