import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { resolveDatabase } from './db/resolve.ts';
import { DEMO_INSTRUCTOR, endpointSeeds, seedDemoInstructor, seedReferenceData, seedSireneSample } from './db/seed.ts';
import { demoBehaviour, startEndpointStub } from './dev-stubs/endpoint-stub.ts';
import { createLogger } from './logger.ts';
import { closeServer, createRuntime } from './runtime.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Boot: configuration → database (embedded or DATABASE_URL) → migrations and seeds → listen; graceful SIGTERM. */
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const database = await resolveDatabase(config, logger);
  const runtime = createRuntime(config, logger, database.url);
  if (database.embedded) {
    await migrate(database.url, logger);
    await seedReferenceData(runtime.db);
    await seedSireneSample(runtime.db);
    await seedDemoInstructor(runtime.db);
  }
  // « État des endpoints »: outside production without an address to probe, a local stub stands in for the API.
  const stub = config.endpointProbeBaseUrl ? undefined : await startEndpointStub(demoBehaviour);
  await runtime.services.endpointStatus.seed(endpointSeeds(), config.endpointProbeBaseUrl ?? stub!.url);
  await runtime.ready;
  const worker = config.runWorker ? await runtime.startWorker() : undefined;
  const server = runtime.app.listen(config.port, config.host, () => {
    logger.info(
      { url: config.baseUrl.origin, port: (server.address() as { port: number }).port },
      'SignUp is listening',
    );
    if (database.embedded) {
      process.stdout.write(
        `\nSignUp : ${config.baseUrl.origin}\n` +
          `Base de données embarquée : ${config.embeddedDataDir} (port ${config.embeddedPort})\n` +
          `Instructeur de démonstration : ${DEMO_INSTRUCTOR.email} / ${DEMO_INSTRUCTOR.password}\n` +
          `Courriels envoyés : ${config.baseUrl.origin}/dev/courriels\n\n`,
      );
    }
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await closeServer(server, 10_000);
    await worker?.stop();
    await runtime.close();
    await stub?.close();
    await database.embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`SignUp n’a pas pu démarrer : ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
