import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import type { Db } from './knex.ts';
import { workerLogger, type Logger } from '../logger.ts';

const migrationsDir = path.resolve(import.meta.dirname, '../../migrations');

/** Knex migration source that imports our TypeScript migrations explicitly (no loader guessing). */
const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => readdirSync(migrationsDir).filter((f) => /^\d{14}_[\w-]+\.ts$/.test(f)).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => import(pathToFileURL(path.join(migrationsDir, name)).href) as Promise<Knex.Migration>,
};

/** Brings the schema up to date: our knex migrations, then the job queue's own schema. Safe to run concurrently. */
export async function migrate(db: Db, connectionString: string, logger: Logger): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  await runWorkerMigrations({ connectionString, logger: workerLogger(logger) });
  return applied;
}
