import path from 'node:path';
import { importLegacyDossiers, type FileSummary } from '../legacy/import.ts';

const USAGE =
  'Usage : DATABASE_URL=postgres://… npm run legacy:import -- export-api.json dossiers.csv …\n' +
  '(JSON de l’API v2 de démarches simplifiées, ou feuille « Dossiers » de l’export tableur en CSV)';
const number = (value: number) => value.toLocaleString('fr-FR');

function report(summary: FileSummary): string {
  const lines = [
    `${path.basename(summary.file)}\u00a0: ${number(summary.read)} dossiers lus, ${number(summary.added)} ajoutés, ` +
      `${number(summary.updated)} mis à jour, ${number(summary.unchanged)} inchangés, ${number(summary.rejected)} rejetés`,
  ];
  if (summary.resumedAfter)
    lines.push(`  reprise après les ${number(summary.resumedAfter)} dossiers enregistrés par l’import interrompu`);
  if (summary.error) lines.push(`  lecture arrêtée\u00a0: ${summary.error}`);
  return lines.join('\n');
}

/** `npm run legacy:import -- FILE…`: dossiers of démarches simplifiées made before 27/08/2019. */
async function main(): Promise<void> {
  const paths = process.argv.slice(2).filter((a) => a !== '--');
  if (!paths.length || paths.some((p) => p.startsWith('-'))) throw new Error(`aucun fichier donné.\n${USAGE}`);
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString)
    throw new Error('DATABASE_URL est obligatoire : l’import écrit dans la base de l’application.');
  const started = performance.now();
  const summaries = await importLegacyDossiers({
    connectionString,
    paths,
    onProgress: (message) => console.log(message),
    onRejected: (file, where, problems) =>
      console.error(`${path.basename(file)}, ${where}\u00a0: rejeté (${problems.join('\u202f; ')})`),
  });
  for (const summary of summaries) console.log(report(summary));
  const seconds = (performance.now() - started) / 1000;
  const read = summaries.reduce((sum, s) => sum + s.read, 0);
  console.log(
    `Durée\u00a0: ${seconds.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s ` +
      `(${number(Math.round(read / Math.max(seconds, 0.001)))} dossiers par seconde)`,
  );
  if (summaries.some((s) => s.error)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`Échec de l’import\u00a0: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
