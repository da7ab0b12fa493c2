import type { Server } from 'node:http';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestDatabase, resetData, type TestDatabase } from './db.ts';
import { freePort } from './ports.ts';
import { TEST_SESSION_SECRET } from './fixtures.ts';

export type TestApp = Runtime & {
  config: Config;
  database: TestDatabase;
  logger: Logger;
  reset: () => Promise<void>;
  listen: (port?: number) => Promise<{ url: string; server: Server }>;
  stop: () => Promise<void>;
};

/**
 * The real application as it runs in production: listening on a port of its own, with BASE_URL pointing at it (the
 * links of its emails lead back to it, as a person following them from their mailbox expects), and its job worker
 * running (queued emails go out by themselves).
 */
export async function startListeningApp(env: Record<string, string> = {}): Promise<TestApp & { base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = await startTestApp({ BASE_URL: base, ...env });
  await app.listen(port);
  const worker = await app.startWorker();
  return {
    ...app,
    base,
    stop: async () => {
      await worker.stop();
      await app.stop();
    },
  };
}

/**
 * The real application on a database of its own (cloned from the seeded template), configured as in production
 * except for NODE_ENV=test. `env` overrides configuration variables.
 */
export async function startTestApp(env: Record<string, string> = {}, logger?: Logger): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    SESSION_SECRET: TEST_SESSION_SECRET,
    BASE_URL: 'http://127.0.0.1',
    // The suite shares a busy machine: waiting 3 s for a pooled connection there is load, not an outage (the outage
    // and freeze tests set their own limits).
    DB_TIMEOUT_MS: '15000',
    ...env,
  });
  const log = logger ?? createLogger(config.logLevel);
  const runtime = createRuntime(config, log, database.url);
  await runtime.ready;
  let server: Server | undefined;
  return {
    ...runtime,
    config,
    database,
    logger: log,
    reset: () => resetData(runtime.db),
    listen: (port = 0) =>
      new Promise((resolve) => {
        server = runtime.app.listen(port, '127.0.0.1', () => {
          const { port } = server!.address() as { port: number };
          resolve({ url: `http://127.0.0.1:${port}`, server: server! });
        });
      }),
    stop: async () => {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await runtime.close();
      await database.drop();
    },
  };
}
