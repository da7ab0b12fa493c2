import { run, runOnce, type TaskList } from 'graphile-worker';
import pg from 'pg';
import type { Config } from '../config.ts';
import { connectionLimits, discardOnReadTimeout, isDatabaseUnavailable, type Db } from '../db/knex.ts';
import { workerLogger, type Logger } from '../logger.ts';
import { createTransport } from '../mail/transport.ts';
import { attachmentFiles } from '../storage/attachment-files.ts';
import { clamdScanner } from '../storage/clamd.ts';
import { SCAN_CRONTAB, scanTasks } from './scan-attachment.ts';
import { REMINDERS_CRONTAB } from './reminder-tasks.ts';
import { ENDPOINT_CRONTAB } from './endpoint-tasks.ts';
import { sendEmailTask } from './send-email.ts';

export type Worker = { stop: () => Promise<void> };

/** graphile-worker's crontab: the antivirus sweep, the reminders and the endpoints' probes (tasks of the services, see runtime.ts). */
export const CRONTAB = [SCAN_CRONTAB, REMINDERS_CRONTAB, ENDPOINT_CRONTAB].join('\n');

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
 * graphile-worker retries its own queries (taking a job, recording its end) on these codes only; on any other error
 * while recording a job's end, the worker stops for good and the job stays locked for hours, to be run again.
 */
const RETRIED_BY_THE_QUEUE = 'ETIMEDOUT';

/** An error that means the database is away (stopped, frozen, unreachable) is given the code the queue retries on. */
export function retriedByTheQueue(error: unknown): unknown {
  if (isDatabaseUnavailable(error) && typeof error === 'object' && error !== null) {
    const tagged = error as { code?: string; originalCode?: string };
    if (tagged.code !== RETRIED_BY_THE_QUEUE) {
      tagged.originalCode = tagged.code;
      tagged.code = RETRIED_BY_THE_QUEUE;
    }
  }
  return error;
}

/**
 * graphile-worker's own pool, with the limits of the web pool (a frozen database answers within `timeoutMs`, a
 * timed-out connection is closed), errors of an absent database that the queue retries until it is back (a job
 * done while it was away is recorded once it answers, not run again), and an error listener: without it, a
 * connection killed by the server (restart, failover) is an unhandled 'error' event that ends the process.
 */
export function workerPool(connectionString: string, logger: Logger, timeoutMs: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: 4,
    application_name: 'signup-worker',
    ...connectionLimits(timeoutMs),
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'job queue connection lost'));
  pool.on('connect', (client) => {
    discardOnReadTimeout(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const result = query(...args);
      return result instanceof Promise
        ? result.catch((error: unknown) => {
            throw retriedByTheQueue(error);
          })
        : result;
    }) as typeof client.query;
  });
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  pool.connect = ((callback?: unknown) => {
    if (callback) return (connect as (cb: unknown) => void)(callback);
    return connect().catch((error: unknown) => {
      throw retriedByTheQueue(error);
    });
  }) as typeof pool.connect;
  return pool;
}

/** After the queue stopped by itself (a failure it does not retry, such as the cron's while the database is away). */
export const RESTART_DELAY_MS = 5_000;

type Runner = Awaited<ReturnType<typeof run>>;

/**
 * Starts a runner with `start` and keeps it running: when it stops without being asked to, it is started again after
 * `delayMs` (graphile-worker stops its runner for good when its cron cannot schedule a minute's jobs, the database
 * frozen or away at that minute, and expects the caller to start again; the cron backfills the minutes missed). The
 * first start fails loudly: a misconfigured queue must not boot quietly.
 */
async function supervised(start: () => Promise<Runner>, logger: Logger, delayMs: number) {
  let runner: Runner | undefined;
  let stopping = false;
  let restart: NodeJS.Timeout | undefined;
  const again = () => {
    if (stopping) return;
    restart = setTimeout(() => void launch(), delayMs);
    restart.unref();
  };
  const watch = (started: Runner) => {
    runner = started;
    started.promise.then(
      () => again(),
      (error: unknown) => {
        if (stopping) return;
        logger.error({ err: error }, 'job queue stopped by itself: starting it again');
        runner = undefined;
        again();
      },
    );
  };
  async function launch(): Promise<void> {
    try {
      watch(await start());
    } catch (error) {
      logger.error({ err: error }, 'job queue could not start: trying again');
      again();
    }
  }
  watch(await start());
  return async () => {
    stopping = true;
    if (restart) clearTimeout(restart);
    await runner?.stop().catch((error: unknown) => {
      if (!(error instanceof Error && /already stopped/.test(error.message))) throw error;
    });
  };
}

/** Runs the job queue until stopped: in the web process by default, in its own process in production (Procfile). */
export async function startWorker(
  db: Db,
  connectionString: string,
  config: Config,
  logger: Logger,
  extra: TaskList = {},
  /** Tests: graphile-worker's `run` and the delay before starting again. */
  supervision: { run?: typeof run; restartDelayMs?: number } = {},
): Promise<Worker> {
  const pgPool = workerPool(connectionString, logger, config.dbTimeoutMs);
  const options = {
    pgPool,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 2000,
    crontab: CRONTAB,
    logger: workerLogger(logger),
    taskList: taskList(db, config, logger, extra),
  };
  const stop = await supervised(
    () => (supervision.run ?? run)(options),
    logger,
    supervision.restartDelayMs ?? RESTART_DELAY_MS,
  );
  return {
    stop: async () => {
      await stop();
      await pgPool.end();
    },
  };
}

/** Runs every job that is due, then returns (tests and one-off maintenance). */
export async function runDueJobs(
  db: Db,
  connectionString: string,
  config: Config,
  logger: Logger,
  extra: TaskList = {},
): Promise<void> {
  const pgPool = workerPool(connectionString, logger, config.dbTimeoutMs);
  try {
    await runOnce({ pgPool, logger: workerLogger(logger), taskList: taskList(db, config, logger, extra) });
  } finally {
    await pgPool.end();
  }
}
