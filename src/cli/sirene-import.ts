import { importSireneStock, type ImportResult } from '../directory/stock-import.ts';
import { parseImportArgs } from '../directory/import-args.ts';

const number = (value: number) => value.toLocaleString('fr-FR');

function report(result: ImportResult): string {
  const seconds = result.durationMs / 1000;
  const { unitesLegales: ul, etablissements: et } = result;
  return [
    `Unités légales : ${number(ul.read)} lignes lues, ${number(ul.rejected)} rejetées (SIREN invalide ou ligne mal formée)`,
    `Établissements : ${number(et.read)} lignes lues, ${number(et.rejected)} rejetées (SIRET invalide ou ligne mal formée)`,
    `Annuaire : ${number(result.inserted)} établissements ajoutés, ${number(result.updated)} mis à jour, ${number(result.unchanged)} déjà à jour`,
    `Durée : ${seconds.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s (${number(Math.round(et.read / Math.max(seconds, 0.001)))} établissements par seconde)`,
  ].join('\n');
}

/** `npm run sirene:import -- --unites-legales … --etablissements …`: imports INSEE's SIRENE stock files. */
async function main(): Promise<void> {
  const args = parseImportArgs(process.argv.slice(2));
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString)
    throw new Error('DATABASE_URL est obligatoire : l’import écrit dans la base de l’application.');
  console.log('Import du stock SIRENE…');
  const result = await importSireneStock({ ...args, connectionString, onProgress: (message) => console.log(message) });
  console.log(report(result));
}

main().catch((error: unknown) => {
  console.error(`Échec de l’import SIRENE : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
