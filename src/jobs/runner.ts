import { run, runOnce, type TaskList } from 'graphile-worker';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { workerLogger, type Logger } from '../logger.ts';
import { createTransport } from '../mail/transport.ts';
import { attachmentFiles } from '../storage/attachment-files.ts';
import { clamdScanner } from '../storage/clamd.ts';
import { SCAN_CRONTAB, scanTasks } from './scan-attachment.ts';
import { sendEmailTask } from './send-email.ts';

export type Worker = { stop: () => Promise<void> };

/** The outbox's delivery task, the antivirus scan of attachments, plus the tasks of the services (`extra`). */
export function taskList(db: Db, config: Config, logger: Logger, extra: TaskList = {}): TaskList {
  const transport = createTransport(config.smtpUrl);
  const scanner = config.clamdUrl ? clamdScanner(config.clamdUrl) : undefined;
  return {
    send_email: sendEmailTask(db, transport, config.mailFrom, config.baseUrl.hostname),
    ...scanTasks(db, attachmentFiles(config.uploadDir), scanner, logger),
    ...extra,
  };
}

/**
 * graphile-worker's own pool, with an error listener: without it, a connection killed by the server (restart,
 * failover) is an unhandled 'error' event that ends the process.
 */
export function workerPool(connectionString: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 4, connectionTimeoutMillis: 5000 });
  pool.on('error', (error) => logger.warn({ err: error }, 'job queue connection lost'));
  return pool;
}

/** Runs the job queue until stopped: in the web process by default, in its own process in production (Procfile). */
export async function startWorker(db: Db, connectionString: string, config: Config, logger: Logger, extra: TaskList = {}): Promise<Worker> {
  const pgPool = workerPool(connectionString, logger);
  const runner = await run({
    pgPool,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 2000,
    crontab: SCAN_CRONTAB,
    logger: workerLogger(logger),
    taskList: taskList(db, config, logger, extra),
  });
  return {
    stop: async () => {
      await runner.stop();
      await pgPool.end();
    },
  };
}

/** Runs every job that is due, then returns (tests and one-off maintenance). */
export async function runDueJobs(db: Db, connectionString: string, config: Config, logger: Logger, extra: TaskList = {}): Promise<void> {
  const pgPool = workerPool(connectionString, logger);
  try {
    await runOnce({ pgPool, logger: workerLogger(logger), taskList: taskList(db, config, logger, extra) });
  } finally {
    await pgPool.end();
  }
}
