import pino, { type Logger } from 'pino';
import { Logger as WorkerLogger } from 'graphile-worker';

export type { Logger };

/** Paths removed from every log line: credentials, tokens and cookies never reach the logs. */
export const redactedPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
  '*._csrf',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactedPaths, censor: '[masqué]' }, base: { service: 'signup' } },
    destination,
  );
}

/** graphile-worker logs through our pino logger instead of the console. */
export function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'info' ? 'info' : 'debug';
    logger[method]({ scope, ...meta }, message);
  });
}
