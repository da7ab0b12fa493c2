/**
 * The two shapes démarches simplifiées exports a procedure's dossiers in, read into the same raw dossier: a node of
 * its API v2 (GraphQL `dossiers { nodes { … } }`) or a row of its spreadsheet's dossiers sheet, whose columns are
 * found by their headers (« ID », « État du dossier », …), never by position. Pure.
 */
import type { LegacyField, RawDossier } from './legacy-dossiers.ts';

export type RawCheck = { ok: true; raw: RawDossier } | { ok: false; problems: string[] };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

function champsOf(champs: unknown, problems: string[]): LegacyField[] {
  if (champs === undefined || champs === null) return [];
  if (!Array.isArray(champs)) {
    problems.push('« champs » n’est pas une liste');
    return [];
  }
  return champs.flatMap((champ: unknown, i) => {
    if (!isObject(champ) || typeof champ.label !== 'string') {
      problems.push(`le champ n° ${i + 1} n’a pas de libellé`);
      return [];
    }
    return [{ label: champ.label, value: textOf(champ.stringValue) ?? '' }];
  });
}

/** A node of the API's `dossiers { nodes }`. */
export function rawFromNode(node: unknown): RawCheck {
  if (!isObject(node)) return { ok: false, problems: ['le dossier n’est pas un objet JSON'] };
  const problems: string[] = [];
  const number = textOf(node.number);
  if (number === undefined) problems.push('numéro de dossier (« number ») absent');
  const state = textOf(node.state);
  if (state === undefined) problems.push('état (« state ») absent');
  const fields = champsOf(node.champs, problems);
  if (problems.length) return { ok: false, problems };
  const usager = isObject(node.usager) ? node.usager : {};
  const demandeur = isObject(node.demandeur) ? node.demandeur : {};
  return {
    ok: true,
    raw: {
      number: number!,
      state: state!,
      email: textOf(usager.email),
      siret: textOf(demandeur.siret),
      dates: {
        depositedAt: textOf(node.dateDepot),
        instructionStartedAt: textOf(node.datePassageEnInstruction),
        processedAt: textOf(node.dateTraitement),
        lastModifiedAt: textOf(node.dateDerniereModification),
      },
      motivation: textOf(node.motivation),
      fields,
      original: node,
      source: 'api',
    },
  };
}

/** The spreadsheet's own columns SignUp reads; every other column is one of the dossier's fields, in order. */
const KNOWN_COLUMNS = {
  number: ['ID'],
  state: ['État du dossier'],
  email: ['Email'],
  siret: ['Établissement SIRET', 'SIRET'],
  depositedAt: ['Déposé le'],
  instructionStartedAt: ['Passé en instruction le'],
  processedAt: ['Traité le'],
  lastModifiedAt: ['Dernière mise à jour le'],
  motivation: ['Motivation de la décision'],
} as const;
type KnownColumn = keyof typeof KNOWN_COLUMNS;
const REQUIRED: KnownColumn[] = ['number', 'state'];

export type SheetColumns = { headers: string[]; known: Partial<Record<KnownColumn, number>>; fields: number[] };

const foldHeader = (header: string) => header.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('fr');

/** Where each column is, from the header row; or why the file cannot be read as a dossiers sheet. */
export function sheetColumns(headers: string[]): { ok: true; columns: SheetColumns } | { ok: false; message: string } {
  const known: Partial<Record<KnownColumn, number>> = {};
  const fields: number[] = [];
  const clean = headers.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h));
  for (const [index, header] of clean.entries()) {
    const folded = foldHeader(header);
    const column = (Object.keys(KNOWN_COLUMNS) as KnownColumn[]).find((key) =>
      KNOWN_COLUMNS[key].some((name) => foldHeader(name) === folded),
    );
    if (!column) fields.push(index);
    else if (known[column] !== undefined)
      return { ok: false, message: `la colonne « ${header.trim()} » apparaît deux fois dans l’en-tête` };
    else known[column] = index;
  }
  const missing = REQUIRED.filter((key) => known[key] === undefined).map((key) => `« ${KNOWN_COLUMNS[key][0]} »`);
  if (missing.length)
    return {
      ok: false,
      message:
        `${missing.length > 1 ? 'colonnes obligatoires absentes' : 'colonne obligatoire absente'}\u00a0: ` +
        `${missing.join(', ')} (en-tête lu\u00a0: ${clean.map((h) => `« ${h.trim()} »`).join(', ')})`,
    };
  return { ok: true, columns: { headers: clean, known, fields } };
}

/** A row of the dossiers sheet under its header row. */
export function rawFromRow(row: string[], columns: SheetColumns): RawCheck {
  if (row.length !== columns.headers.length)
    return { ok: false, problems: [`${row.length} valeurs pour ${columns.headers.length} colonnes`] };
  const at = (key: KnownColumn) => {
    const index = columns.known[key];
    return index === undefined ? undefined : row[index];
  };
  return {
    ok: true,
    raw: {
      number: at('number') ?? '',
      state: at('state') ?? '',
      email: at('email'),
      siret: at('siret'),
      dates: {
        depositedAt: at('depositedAt'),
        instructionStartedAt: at('instructionStartedAt'),
        processedAt: at('processedAt'),
        lastModifiedAt: at('lastModifiedAt'),
      },
      motivation: at('motivation'),
      fields: columns.fields.map((i) => ({ label: columns.headers[i]!.trim(), value: row[i] ?? '' })),
      original: columns.headers.map((header, i) => [header, row[i] ?? '']),
      source: 'tableur',
    },
  };
}
