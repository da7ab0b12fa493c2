import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import { createDb } from './knex.ts';
import { LONG_RUNNING_STATEMENT_MS } from './long-running.ts';
import { workerLogger, type Logger } from '../logger.ts';

const migrationsDir = path.resolve(import.meta.dirname, '../../migrations');

/** Knex migration source that imports our TypeScript migrations explicitly (no loader guessing). */
const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () =>
    readdirSync(migrationsDir)
      .filter((f) => /^\d{14}_[\w-]+\.ts$/.test(f))
      .sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => import(pathToFileURL(path.join(migrationsDir, name)).href) as Promise<Knex.Migration>,
};

/**
 * Brings the schema up to date: our knex migrations, then the job queue's own schema. Safe to run concurrently. On a
 * connection of its own with the limits of long-running work: a migration on a large table takes longer than the
 * web pool allows a query.
 */
export async function migrate(connectionString: string, logger: Logger): Promise<string[]> {
  const db = createDb(connectionString, {
    timeoutMs: 30_000,
    statementTimeoutMs: LONG_RUNNING_STATEMENT_MS,
    poolMax: 2,
    logger,
  });
  try {
    const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
    await runWorkerMigrations({ connectionString, logger: workerLogger(logger) });
    return applied;
  } finally {
    await db.destroy();
  }
}
