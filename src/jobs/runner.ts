import { run, runOnce, type TaskList } from 'graphile-worker';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { workerLogger, type Logger } from '../logger.ts';
import { createTransport } from '../mail/transport.ts';
import { sendEmailTask } from './send-email.ts';

export type Worker = { stop: () => Promise<void> };

export function taskList(db: Db, config: Config): TaskList {
  const transport = createTransport(config.smtpUrl);
  return { send_email: sendEmailTask(db, transport, config.mailFrom, config.baseUrl.hostname) };
}

/** Runs the job queue until stopped: in the web process by default, in its own process in production (Procfile). */
export async function startWorker(db: Db, connectionString: string, config: Config, logger: Logger): Promise<Worker> {
  const runner = await run({
    connectionString,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 2000,
    crontab: '',
    logger: workerLogger(logger),
    taskList: taskList(db, config),
  });
  return { stop: () => runner.stop() };
}

/** Runs every job that is due, then returns (tests and one-off maintenance). */
export async function runDueJobs(db: Db, connectionString: string, config: Config, logger: Logger): Promise<void> {
  await runOnce({ connectionString, logger: workerLogger(logger), taskList: taskList(db, config) });
}
