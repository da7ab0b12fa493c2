import type { Server } from 'node:http';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { createDb, type Db } from './db/knex.ts';
import type { Logger } from './logger.ts';
import { staticAssets } from './middleware/assets.ts';
import { sessions as createSessions } from './middleware/session.ts';
import { createViewEnvironment } from './rendering/nunjucks.ts';
import { createServices, type Services } from './services/index.ts';
import { accountTasks } from './jobs/account-tasks.ts';
import { runDueJobs, startWorker, type Worker } from './jobs/runner.ts';
import { reminderTasks } from './jobs/reminder-tasks.ts';
import { endpointTasks } from './jobs/endpoint-tasks.ts';
import { webhookTasks } from './jobs/webhook-tasks.ts';

export type Runtime = {
  app: ReturnType<typeof createApp>;
  db: Db;
  views: ReturnType<typeof createViewEnvironment>;
  services: Services;
  startWorker: () => Promise<Worker>;
  /** Resolves once the introspection listens to the database's notices of token changes (or gave up for now). */
  ready: Promise<void>;
  /** Runs the jobs that are due, then returns (tests, maintenance). */
  runJobs: () => Promise<void>;
  close: () => Promise<void>;
};

/** The job queue's tasks that belong to the services (the others are the runner's own: emails, antivirus). */
export function serviceTasks(services: Services) {
  return {
    ...accountTasks(services.accounts),
    ...reminderTasks(services.reminders, services.tokenReminders),
    ...endpointTasks(services.endpointStatus),
    ...webhookTasks(services.webhooks),
  };
}

/** Wires configuration, database, views, services and the Express app; `close` releases everything it opened. */
export function createRuntime(config: Config, logger: Logger, databaseUrl: string): Runtime {
  const db = createDb(databaseUrl, { timeoutMs: config.dbTimeoutMs, logger });
  const assets = staticAssets();
  const views = createViewEnvironment(config, assets.urls);
  const sessions = createSessions(config, db);
  const services = createServices(db, config, views, logger, databaseUrl);
  const app = createApp({ config, db, logger, services, views, assets, sessions });
  const ready = services.introspection.start();
  return {
    app,
    db,
    views,
    services,
    ready,
    startWorker: () => startWorker(db, databaseUrl, config, logger, serviceTasks(services)),
    runJobs: () => runDueJobs(db, databaseUrl, config, logger, serviceTasks(services)),
    close: async () => {
      await services.introspection.stop(); // the last uses kept in memory
      sessions.close();
      await db.destroy();
    },
  };
}

/** Stops accepting connections, lets requests in flight finish (up to `graceMs`), then resolves. */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
