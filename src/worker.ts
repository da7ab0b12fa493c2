import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createRuntime } from './runtime.ts';

/** The job runner in its own process (Procfile `worker`): outbox emails, account tasks and antivirus scans of attachments. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL est obligatoire pour lancer le worker seul');
  const logger = createLogger(config.logLevel);
  const runtime = createRuntime(config, logger, config.databaseUrl);
  const worker = await runtime.startWorker();
  logger.info('worker started');
  const shutdown = async () => {
    await worker.stop();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`Le worker n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
