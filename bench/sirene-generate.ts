/**
 * Writes a synthetic pair of SIRENE stock files in INSEE's format: N establishments over about N/2 legal units,
 * valid SIREN and SIRET (Luhn), ~10 % of establishments closed, public and private legal categories, and a few
 * non-diffusible individuals masked with "[ND]" as INSEE does. Same seed, same files. Streams to disk.
 *
 *   node --import tsx bench/sirene-generate.ts --rows 1000000 --out /tmp/sirene [--seed 42]
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { communeName, pickKind, type Kind } from './sirene-kinds.ts';
import { pick, seededRandom, STREET_NAMES, STREET_TYPES, type Random } from './sirene-names.ts';
import { CsvWriter, ETABLISSEMENT_HEADER, luhnCheckDigit, UNITE_LEGALE_HEADER } from './sirene-stock-format.ts';

export type GenerateOptions = { dir: string; rows: number; seed?: number };
export type GeneratedStock = {
  unitesLegalesPath: string;
  etablissementsPath: string;
  unitesLegales: number;
  etablissements: number;
};

type Row = Partial<Record<string, string>>;
type Place = { commune: string; postalCode: string; codeCommune: string };

const pad = (value: number, length: number) => String(value).padStart(length, '0');
const date = (random: Random) =>
  `${1950 + Math.floor(random() * 75)}-${pad(1 + Math.floor(random() * 12), 2)}-${pad(1 + Math.floor(random() * 28), 2)}`;
const ND = '[ND]';

/** Unit indexes start here, above the SIRENs of data/sirene-sample.json, so that no generated SIRET is a sample's. */
const SIREN_OFFSET = 5_000_000;
export const MAX_ROWS = 2 * (10_000_000 - SIREN_OFFSET);

/** A unique SIREN per unit index: a first digit by family (1 State, 2 local public bodies, 3-9 others), then Luhn. */
function sirenOf(index: number, kind: Kind): string {
  const category = kind.categories[0] ?? '';
  const first = category.startsWith('71') ? '1' : category.startsWith('7') ? '2' : String(3 + (index % 7));
  const eight = `${first}${pad(SIREN_OFFSET + index, 7)}`;
  return eight + luhnCheckDigit(eight);
}

function placeOf(random: Random): Place {
  const department = pad(1 + Math.floor(random() * 95), 2).replace(/^20$/, '2A');
  const commune = pad(Math.floor(random() * 900) + 1, 3);
  return {
    commune: communeName(random),
    postalCode: `${department.replace('2A', '20')}${commune.slice(0, 2)}0`,
    codeCommune: `${department}${commune}`,
  };
}

function addressOf(random: Random, place: Place, masked: boolean): Row {
  const street = {
    complementAdresseEtablissement: random() < 0.05 ? 'BATIMENT A' : '',
    numeroVoieEtablissement: String(1 + Math.floor(random() * 150)),
    indiceRepetitionEtablissement: random() < 0.05 ? 'B' : '',
    typeVoieEtablissement: pick(random, STREET_TYPES),
    libelleVoieEtablissement: pick(random, STREET_NAMES),
  };
  const shown = masked ? Object.fromEntries(Object.keys(street).map((key) => [key, ND])) : street;
  return {
    ...shown,
    codePostalEtablissement: place.postalCode,
    libelleCommuneEtablissement: place.commune,
    codeCommuneEtablissement: place.codeCommune,
  };
}

function establishmentRow(
  random: Random,
  unit: { siren: string; kind: Kind; place: Place; masked: boolean },
  index: number,
): Row {
  const nic4 = pad(index + 1, 4);
  const nic = nic4 + luhnCheckDigit(unit.siren + nic4);
  const names = unit.kind.establishment(random, index, unit.place.commune);
  const place = index === 0 ? unit.place : placeOf(random);
  return {
    siren: unit.siren,
    nic,
    siret: unit.siren + nic,
    statutDiffusionEtablissement: unit.masked ? 'P' : 'O',
    dateCreationEtablissement: date(random),
    dateDernierTraitementEtablissement: '2025-11-12T10:12:03',
    etablissementSiege: String(index === 0),
    nombrePeriodesEtablissement: '1',
    ...addressOf(random, place, unit.masked),
    dateDebut: date(random),
    etatAdministratifEtablissement: random() < 0.1 ? 'F' : 'A',
    enseigne1Etablissement: unit.masked && names.enseigne ? ND : (names.enseigne ?? ''),
    denominationUsuelleEtablissement: names.usualName ?? '',
    activitePrincipaleEtablissement: unit.kind.naf,
    nomenclatureActivitePrincipaleEtablissement: 'NAFRev2',
    caractereEmployeurEtablissement: 'N',
  };
}

function unitRow(
  random: Random,
  unit: { siren: string; kind: Kind; place: Place; masked: boolean },
  establishments: Row[],
): Row {
  const names = unit.kind.unit(random, unit.place.commune);
  const person = names.person;
  const hidden = (value: string | undefined) => (value === undefined ? '' : unit.masked ? ND : value);
  return {
    siren: unit.siren,
    statutDiffusionUniteLegale: unit.masked ? 'P' : 'O',
    dateCreationUniteLegale: date(random),
    sigleUniteLegale: names.sigle ?? '',
    sexeUniteLegale: hidden(person?.sex),
    prenom1UniteLegale: hidden(person?.firstName),
    prenomUsuelUniteLegale: hidden(person?.firstName),
    nomUniteLegale: hidden(person?.surname),
    trancheEffectifsUniteLegale: 'NN',
    dateDernierTraitementUniteLegale: '2025-11-12T10:12:03',
    nombrePeriodesUniteLegale: '1',
    categorieEntreprise: 'PME',
    anneeCategorieEntreprise: '2022',
    dateDebut: date(random),
    etatAdministratifUniteLegale: establishments.every((e) => e.etatAdministratifEtablissement === 'F') ? 'C' : 'A',
    denominationUniteLegale: names.denomination ?? '',
    categorieJuridiqueUniteLegale: pick(random, unit.kind.categories),
    activitePrincipaleUniteLegale: unit.kind.naf,
    nomenclatureActivitePrincipaleUniteLegale: 'NAFRev2',
    nicSiegeUniteLegale: establishments[0]?.nic ?? '',
    economieSocialeSolidaireUniteLegale: 'N',
    societeMissionUniteLegale: 'N',
    caractereEmployeurUniteLegale: 'N',
  };
}

export async function generateSireneStock(options: GenerateOptions): Promise<GeneratedStock> {
  if (!Number.isInteger(options.rows) || options.rows < 1 || options.rows > MAX_ROWS)
    throw new Error(`rows must be an integer between 1 and ${MAX_ROWS}`);
  const random = seededRandom(options.seed ?? 42);
  await mkdir(options.dir, { recursive: true });
  const unitesLegalesPath = path.join(options.dir, 'StockUniteLegale_utf8.csv');
  const etablissementsPath = path.join(options.dir, 'StockEtablissement_utf8.csv');
  const units = new CsvWriter(unitesLegalesPath, UNITE_LEGALE_HEADER);
  const establishments = new CsvWriter(etablissementsPath, ETABLISSEMENT_HEADER);
  let written = 0;
  let index = 0;
  while (written < options.rows) {
    const kind = pickKind(random);
    const unit = {
      siren: sirenOf(index, kind),
      kind,
      place: placeOf(random),
      masked: kind.categories[0] === '1000' && random() < 0.1,
    };
    const count = Math.min(kind.establishments(random), options.rows - written);
    const rows = Array.from({ length: count }, (_, i) => establishmentRow(random, unit, i));
    await units.write(unitRow(random, unit, rows));
    for (const row of rows) await establishments.write(row);
    written += count;
    index += 1;
  }
  await Promise.all([units.close(), establishments.close()]);
  return { unitesLegalesPath, etablissementsPath, unitesLegales: index, etablissements: written };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      out: { type: 'string' },
      seed: { type: 'string', default: '42' },
    },
  });
  if (!values.out)
    throw new Error('Usage: node --import tsx bench/sirene-generate.ts --rows 1000000 --out DIR [--seed 42]');
  const started = performance.now();
  const stock = await generateSireneStock({ dir: values.out, rows: Number(values.rows), seed: Number(values.seed) });
  console.log(
    `${stock.etablissements} establishments, ${stock.unitesLegales} legal units in ${((performance.now() - started) / 1000).toFixed(1)} s: ${stock.unitesLegalesPath}, ${stock.etablissementsPath}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
