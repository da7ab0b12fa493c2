import { parseArgs } from 'node:util';
import { StockFormatError } from './stock-format.ts';

export const IMPORT_USAGE =
  'Usage : DATABASE_URL=postgres://… npm run sirene:import -- --unites-legales StockUniteLegale_utf8.csv --etablissements StockEtablissement_utf8.csv';

export type ImportArgs = { unitesLegalesPath: string; etablissementsPath: string };

/** The two file paths of `sirene-import`; anything missing or unknown is an error said in French. */
export function parseImportArgs(argv: string[]): ImportArgs {
  let values: { 'unites-legales'?: string; etablissements?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'unites-legales': { type: 'string' }, etablissements: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new StockFormatError(
      `Arguments invalides (${error instanceof Error ? error.message : String(error)}).\n${IMPORT_USAGE}`,
    );
  }
  const missing = [
    values['unites-legales'] ? '' : '--unites-legales',
    values.etablissements ? '' : '--etablissements',
  ].filter(Boolean);
  if (missing.length > 0) throw new StockFormatError(`Argument manquant : ${missing.join(' et ')}.\n${IMPORT_USAGE}`);
  return { unitesLegalesPath: values['unites-legales']!, etablissementsPath: values.etablissements! };
}
