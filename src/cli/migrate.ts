import { loadConfig } from '../config.ts';
import { createDb } from '../db/knex.ts';
import { migrate } from '../db/migrate.ts';
import { seedReferenceData } from '../db/seed.ts';
import { createLogger } from '../logger.ts';

/** Release phase (Procfile `release`): migrations, then the reference data (catalogue, legal categories). */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL est obligatoire');
  const logger = createLogger(config.logLevel);
  const db = createDb(config.databaseUrl, { timeoutMs: 10_000, logger });
  try {
    const applied = await migrate(db, config.databaseUrl, logger);
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
