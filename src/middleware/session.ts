import type { RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Config } from '../config.ts';
import { poolFromKnex, type Db } from '../db/knex.ts';

export type SessionSetup = { middleware: RequestHandler; close: () => void };

/** The cookie name: `__Host-` (no Domain, Path=/, Secure) whenever the service is served over HTTPS. */
export function sessionCookieName(config: Config): string {
  return config.baseUrl.protocol === 'https:' ? '__Host-signup' : 'signup';
}

/**
 * Sessions in PostgreSQL through connect-pg-simple, on knex's own pool. Nothing but identifiers goes in the session:
 * application data lives in tables. The idle timeout is the cookie's rolling maxAge.
 */
export function sessions(config: Config, db: Db): SessionSetup {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: poolFromKnex(db) as never,
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: config.env === 'test' ? false : 15 * 60,
  });
  const middleware = session({
    store,
    name: sessionCookieName(config),
    secret: config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.baseUrl.protocol === 'https:',
      path: '/',
      maxAge: config.sessionIdleMinutes * 60 * 1000,
    },
  });
  return { middleware, close: () => store.close() };
}
