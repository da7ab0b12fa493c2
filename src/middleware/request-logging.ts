import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';

const REQUEST_ID = /^[\w-]{8,64}$/;

type Level = 'info' | 'warn' | 'error';

/** Server errors are errors; refused requests, and answers the client went away from, are warnings. */
function levelOf(statusCode: number, aborted: boolean): Level {
  return statusCode >= 500 ? 'error' : aborted || statusCode >= 400 ? 'warn' : 'info';
}

/**
 * One JSON line per request, written when the answer is finished (or the connection dropped before it): its id (taken
 * from X-Request-Id when it looks safe, echoed back), method, path without the query string, status and duration.
 * `req.log` is a logger bound to the request, made only when a route or the error handler logs something: a request
 * that logs nothing else costs one line, or nothing when its level is off. (pino-http made a child logger and
 * serialised the request for every request, even at `LOG_LEVEL=warn`: 6 % of the server's time on the home page.)
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const startedAt = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    const summary = () => ({ id, method: req.method, url: (req.originalUrl || req.url).split('?')[0] });
    let bound: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      get: () => (bound ??= logger.child({ req: summary() })),
    });
    const done = (message: string, aborted: boolean) => {
      const level = levelOf(res.statusCode, aborted);
      if (!logger.isLevelEnabled(level)) return;
      const responseTime = Math.round(performance.now() - startedAt);
      logger[level]({ req: summary(), res: { statusCode: res.statusCode }, responseTime }, message);
    };
    res.once('finish', () => done(res.statusCode >= 500 ? 'request errored' : 'request completed', false));
    res.once('close', () => {
      if (!res.writableFinished) done('request aborted', true);
    });
    next();
  };
}
