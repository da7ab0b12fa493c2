import { loadConfig } from '../config.ts';
import { createDb } from '../db/knex.ts';
import { LONG_RUNNING_STATEMENT_MS } from '../db/long-running.ts';
import { migrate } from '../db/migrate.ts';
import { seedReferenceData } from '../db/seed.ts';
import { createLogger } from '../logger.ts';

/** Release phase (Procfile `release`): migrations, then the reference data (catalogue, legal categories). */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL est obligatoire');
  const logger = createLogger(config.logLevel);
  const db = createDb(config.databaseUrl, { timeoutMs: 10_000, statementTimeoutMs: LONG_RUNNING_STATEMENT_MS, logger });
  try {
    const applied = await migrate(config.databaseUrl, logger);
    await seedReferenceData(db);
    console.log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Schéma déjà à jour.');
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`Échec des migrations : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
