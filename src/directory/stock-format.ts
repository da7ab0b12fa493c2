/**
 * INSEE's SIRENE stock files (StockUniteLegale_utf8.csv, StockEtablissement_utf8.csv): the columns we read, found by
 * their header name (INSEE adds columns now and then, as activitePrincipaleNAF25Etablissement in December 2025).
 */

export type StockKind = 'unitesLegales' | 'etablissements';

export const STOCK_LABELS: Record<StockKind, string> = {
  unitesLegales: 'unités légales (StockUniteLegale)',
  etablissements: 'établissements (StockEtablissement)',
};

export const UNITE_LEGALE_COLUMNS = [
  'siren',
  'statutDiffusionUniteLegale',
  'sigleUniteLegale',
  'prenom1UniteLegale',
  'prenomUsuelUniteLegale',
  'nomUniteLegale',
  'nomUsageUniteLegale',
  'denominationUniteLegale',
  'denominationUsuelle1UniteLegale',
  'categorieJuridiqueUniteLegale',
] as const;

export const ETABLISSEMENT_COLUMNS = [
  'siren',
  'siret',
  'statutDiffusionEtablissement',
  'etablissementSiege',
  'complementAdresseEtablissement',
  'numeroVoieEtablissement',
  'indiceRepetitionEtablissement',
  'typeVoieEtablissement',
  'libelleVoieEtablissement',
  'codePostalEtablissement',
  'libelleCommuneEtablissement',
  'libelleCommuneEtrangerEtablissement',
  'libellePaysEtrangerEtablissement',
  'etatAdministratifEtablissement',
  'enseigne1Etablissement',
  'denominationUsuelleEtablissement',
  'activitePrincipaleEtablissement',
] as const;

export type UniteLegaleColumn = (typeof UNITE_LEGALE_COLUMNS)[number];
export type EtablissementColumn = (typeof ETABLISSEMENT_COLUMNS)[number];

/** A stock file that cannot be imported; the message is for the person running the import, in French. */
export class StockFormatError extends Error {
  override name = 'StockFormatError';
}

/** Where each required column is in this file's header; a missing column stops the import with its name. */
export function locateColumns<C extends string>(
  header: string[],
  required: readonly C[],
  kind: StockKind,
): Record<C, number> {
  const positions = new Map(header.map((name, index) => [name.trim(), index]));
  const missing = required.filter((name) => !positions.has(name));
  if (missing.length > 0) {
    const plural = missing.length > 1;
    throw new StockFormatError(
      `Le fichier des ${STOCK_LABELS[kind]} n’a pas ${plural ? 'les colonnes obligatoires' : 'la colonne obligatoire'} : ` +
        `${missing.join(', ')}. Vérifiez qu’il s’agit bien du fichier « Stock » de l’Insee au format CSV (UTF-8), ` +
        'avec sa ligne d’en-tête.',
    );
  }
  return Object.fromEntries(required.map((name) => [name, positions.get(name)])) as Record<C, number>;
}

export type RowReader<C extends string> = (column: C) => string | null;

/** A row as a lookup by column name, with INSEE's blanks and masked values ("[ND]") turned into null. */
export function rowReader<C extends string>(positions: Record<C, number>, values: string[]): RowReader<C> {
  return (column) => {
    const value = values[positions[column]]?.trim();
    return value === undefined || value === '' || value === '[ND]' ? null : value;
  };
}
