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

export async function findEstablishment(db: Knex, siret: string): Promise<Establishment | undefined> {
  const row = await db('establishments as e')
    .leftJoin('legal_categories as c', 'c.code', 'e.legal_category_code')
    .where('e.siret', siret)
    .first(
      'e.siret', 'e.siren', 'e.name', 'e.sigle', 'e.enseigne', 'e.naf', 'e.street', 'e.city', 'e.active',
      'e.legal_category_code as legalCategoryCode', 'c.label as legalCategoryLabel', 'c.eligible as legalCategoryEligible',
      'e.naf_label as nafLabel', 'e.postal_code as postalCode',
    );
  return row as Establishment | undefined;
}
