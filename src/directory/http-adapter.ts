import type { Knex } from 'knex';
import type { Logger } from '../logger.ts';

/**
 * Optional fallback to the public recherche-entreprises API for SIRETs missing from our table (off unless
 * SIRENE_API_URL is set). Bounded by a timeout; what it finds is stored in `establishments`, which is the cache.
 * A failure or a timeout is logged and answers "not found": the user can still retry or contact support.
 */
type ApiEstablishment = {
  siret?: string;
  etat_administratif?: string;
  adresse?: string;
  code_postal?: string;
  libelle_commune?: string;
  activite_principale?: string;
  enseigne?: string | null;
  liste_enseignes?: string[] | null;
};
type ApiResult = {
  siren?: string;
  nom_complet?: string;
  sigle?: string | null;
  nature_juridique?: string;
  siege?: ApiEstablishment;
  matching_etablissements?: ApiEstablishment[];
};

export type DirectoryFallback = (siret: string) => Promise<boolean>;

export function toEstablishmentRow(siret: string, result: ApiResult) {
  const found = [...(result.matching_etablissements ?? []), result.siege].find((e) => e?.siret === siret);
  if (!found || !result.siren || !result.nom_complet) return undefined;
  return {
    siret,
    siren: result.siren,
    name: result.nom_complet.toUpperCase(),
    sigle: result.sigle ?? null,
    enseigne: found.liste_enseignes?.[0] ?? found.enseigne ?? null,
    legal_category_code: result.nature_juridique ?? null,
    naf: found.activite_principale ?? null,
    naf_label: null,
    street: found.adresse ? found.adresse.replace(new RegExp(`\\s*${found.code_postal ?? '$^'}.*$`), '') : null,
    postal_code: found.code_postal ?? null,
    city: found.libelle_commune ?? null,
    active: found.etat_administratif === 'A',
  };
}

export function httpDirectoryFallback(db: Knex, baseUrl: string, timeoutMs: number, logger: Logger): DirectoryFallback {
  return async (siret) => {
    try {
      const url = new URL('/search', baseUrl);
      url.searchParams.set('q', siret);
      const response = await fetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { results?: ApiResult[] };
      const row = (body.results ?? []).map((r) => toEstablishmentRow(siret, r)).find(Boolean);
      if (!row) return false;
      await db('establishments').insert(row).onConflict('siret').merge();
      return true;
    } catch (error) {
      logger.warn({ err: error, siret }, 'directory API unavailable');
      return false;
    }
  };
}
