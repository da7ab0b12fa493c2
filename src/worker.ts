import { loadConfig } from './config.ts';
import { createDb } from './db/knex.ts';
import { startWorker } from './jobs/runner.ts';
import { createLogger } from './logger.ts';

/** The job runner in its own process (Procfile `worker`): outbox emails today, reminders and webhooks later. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL est obligatoire pour lancer le worker seul');
  const logger = createLogger(config.logLevel);
  const db = createDb(config.databaseUrl, { timeoutMs: config.dbTimeoutMs, logger });
  const worker = await startWorker(db, config.databaseUrl, config, logger);
  logger.info('worker started');
  const shutdown = async () => {
    await worker.stop();
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`Le worker n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
