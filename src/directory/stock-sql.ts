/**
 * SQL of the SIRENE import: two temporary staging tables (gone at commit), then one idempotent upsert that joins
 * them on SIREN. Rows whose values have not changed are left alone: a second import of the same files writes nothing.
 */
import { NON_DIFFUSIBLE } from './stock-rows.ts';

export const CREATE_STAGING = `
  CREATE TEMPORARY TABLE sirene_unites_legales (
    siren text NOT NULL, non_diffusible boolean NOT NULL, name text, sigle text, legal_category_code text
  ) ON COMMIT DROP;
  CREATE TEMPORARY TABLE sirene_etablissements (
    siret text NOT NULL, siren text NOT NULL, non_diffusible boolean NOT NULL, name text, enseigne text, naf text,
    street text, postal_code text, city text, active boolean NOT NULL, is_head_office boolean NOT NULL
  ) ON COMMIT DROP`;

export const UNITES_LEGALES_TARGET = 'sirene_unites_legales (siren, non_diffusible, name, sigle, legal_category_code)';
export const ETABLISSEMENTS_TARGET =
  'sirene_etablissements (siret, siren, non_diffusible, name, enseigne, naf, street, postal_code, city, active, is_head_office)';

/** Columns compared to decide whether an existing row must be rewritten. */
const COMPARED = [
  'siren',
  'name',
  'legal_unit_name',
  'sigle',
  'enseigne',
  'legal_category_code',
  'naf',
  'street',
  'postal_code',
  'city',
  'active',
  'is_head_office',
];
const list = (prefix: string) => COMPARED.map((column) => `${prefix}${column}`).join(', ');

/**
 * One row per SIRET (DISTINCT ON guards against a repeated line), masked when the establishment or its legal unit is
 * non-diffusible. Name: the establishment's usual name or sign, else its legal unit's name. Rows already identical
 * in the directory are filtered out before the upsert, so that they are neither locked nor rewritten (ON CONFLICT
 * DO UPDATE locks every conflicting row, even one its WHERE then skips). Returns one row: { inserted, updated }.
 */
export const MERGE = `
  WITH joined AS (
    SELECT DISTINCT ON (e.siret) e.siret, e.siren, (e.non_diffusible OR coalesce(u.non_diffusible, false)) AS masked,
      e.name, u.name AS unit_name, u.sigle, e.enseigne, u.legal_category_code, e.naf, e.street, e.postal_code, e.city,
      e.active, e.is_head_office
    FROM sirene_etablissements e LEFT JOIN sirene_unites_legales u ON u.siren = e.siren
    ORDER BY e.siret
  ), source AS (
    SELECT siret, siren,
      CASE WHEN masked THEN '${NON_DIFFUSIBLE}' ELSE coalesce(unit_name, name, '[NOM INCONNU]') END AS name,
      CASE WHEN masked THEN '${NON_DIFFUSIBLE}' ELSE unit_name END AS legal_unit_name,
      CASE WHEN masked THEN NULL ELSE sigle END AS sigle,
      CASE WHEN masked THEN NULL ELSE enseigne END AS enseigne,
      legal_category_code, naf,
      CASE WHEN masked THEN NULL ELSE street END AS street,
      CASE WHEN masked THEN NULL ELSE postal_code END AS postal_code,
      CASE WHEN masked THEN NULL ELSE city END AS city,
      active, is_head_office
    FROM joined
  ), upserted AS (
    INSERT INTO establishments AS t (siret, ${list('')})
    SELECT s.siret, ${list('s.')} FROM source s
    WHERE NOT EXISTS (
      SELECT 1 FROM establishments x WHERE x.siret = s.siret AND (${list('x.')}) IS NOT DISTINCT FROM (${list('s.')})
    )
    ON CONFLICT (siret) DO UPDATE SET
      ${COMPARED.map((c) => `${c} = excluded.${c}`).join(', ')},
      naf_label = CASE WHEN t.naf IS DISTINCT FROM excluded.naf THEN NULL ELSE t.naf_label END,
      updated_at = now()
    WHERE (${list('t.')}) IS DISTINCT FROM (${list('excluded.')})
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM upserted`;
