/**
 * One CSV row of a stock file → one row of its staging table. Pure: no I/O. Non-diffusible units are masked here,
 * before anything reaches the database: INSEE forbids passing on their name and address.
 */
import type { EtablissementColumn, RowReader, UniteLegaleColumn } from './stock-format.ts';

export const NON_DIFFUSIBLE = '[NON-DIFFUSIBLE]';

export type UniteLegaleRow = {
  siren: string;
  nonDiffusible: boolean;
  name: string | null;
  sigle: string | null;
  legalCategoryCode: string | null;
};

export type EtablissementRow = {
  siret: string;
  siren: string;
  nonDiffusible: boolean;
  name: string | null;
  enseigne: string | null;
  naf: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  active: boolean;
  isHeadOffice: boolean;
};

/** "O" is diffusible; "P" (partially diffusible), "N" and anything unexpected are treated as non-diffusible. */
export function isDiffusible(status: string | null): boolean {
  return status === 'O';
}

/** A value that fits its column, or null (codes longer than the column are not codes). */
function code(value: string | null, maxLength: number): string | null {
  return value !== null && value.length <= maxLength ? value : null;
}

function joined(...parts: (string | null)[]): string | null {
  const text = parts.filter((part) => part !== null).join(' ');
  return text === '' ? null : text;
}

/** A legal unit's name: its denomination, else its usual name, else (individuals) first name and surname. */
export function legalUnitName(read: RowReader<UniteLegaleColumn>): string | null {
  return (
    read('denominationUniteLegale') ??
    read('denominationUsuelle1UniteLegale') ??
    joined(
      read('prenomUsuelUniteLegale') ?? read('prenom1UniteLegale'),
      read('nomUsageUniteLegale') ?? read('nomUniteLegale'),
    )
  );
}

export function uniteLegaleRow(read: RowReader<UniteLegaleColumn>): UniteLegaleRow | undefined {
  const siren = read('siren');
  if (siren === null || !/^\d{9}$/.test(siren)) return undefined;
  const nonDiffusible = !isDiffusible(read('statutDiffusionUniteLegale'));
  return {
    siren,
    nonDiffusible,
    name: nonDiffusible ? null : legalUnitName(read),
    sigle: nonDiffusible ? null : read('sigleUniteLegale'),
    legalCategoryCode: code(read('categorieJuridiqueUniteLegale'), 4),
  };
}

/** « 20 B AV DE SEGUR »: number, repetition index, street type and name; else the address complement. */
export function streetOf(read: RowReader<EtablissementColumn>): string | null {
  const number = joined(read('numeroVoieEtablissement'), read('indiceRepetitionEtablissement'));
  const street =
    read('libelleVoieEtablissement') && joined(number, read('typeVoieEtablissement'), read('libelleVoieEtablissement'));
  return street ?? read('complementAdresseEtablissement');
}

/** The commune, or abroad the foreign city and its country. */
export function cityOf(read: RowReader<EtablissementColumn>): string | null {
  const foreign = read('libelleCommuneEtrangerEtablissement');
  const country = read('libellePaysEtrangerEtablissement');
  return read('libelleCommuneEtablissement') ?? (foreign && country ? `${foreign} (${country})` : foreign);
}

export function etablissementRow(read: RowReader<EtablissementColumn>): EtablissementRow | undefined {
  const siren = read('siren');
  const siret = read('siret');
  if (siren === null || siret === null || !/^\d{14}$/.test(siret) || !siret.startsWith(siren)) return undefined;
  const nonDiffusible = !isDiffusible(read('statutDiffusionEtablissement'));
  const enseigne = nonDiffusible ? null : (read('enseigne1Etablissement') ?? read('denominationUsuelleEtablissement'));
  return {
    siret,
    siren,
    nonDiffusible,
    name: nonDiffusible ? null : (read('denominationUsuelleEtablissement') ?? enseigne),
    enseigne,
    naf: code(read('activitePrincipaleEtablissement'), 10),
    street: nonDiffusible ? null : streetOf(read),
    postalCode: nonDiffusible ? null : code(read('codePostalEtablissement'), 10),
    city: nonDiffusible ? null : cityOf(read),
    active: read('etatAdministratifEtablissement') === 'A',
    isHeadOffice: read('etablissementSiege') === 'true',
  };
}
