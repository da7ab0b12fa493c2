import type { Server } from 'node:http';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestDatabase, resetData, type TestDatabase } from './db.ts';
import { TEST_SESSION_SECRET } from './fixtures.ts';

export type TestApp = Runtime & {
  config: Config;
  database: TestDatabase;
  logger: Logger;
  reset: () => Promise<void>;
  listen: () => Promise<{ url: string; server: Server }>;
  stop: () => Promise<void>;
};

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
    ...env,
  });
  const log = logger ?? createLogger(config.logLevel);
  const runtime = createRuntime(config, log, database.url);
  let server: Server | undefined;
  return {
    ...runtime,
    config,
    database,
    logger: log,
    reset: () => resetData(runtime.db),
    listen: () =>
      new Promise((resolve) => {
        server = runtime.app.listen(0, '127.0.0.1', () => {
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
