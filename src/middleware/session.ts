import type { Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Config } from '../config.ts';
import { poolFromKnex, type Db } from '../db/knex.ts';
import { sessionWithUser } from '../repositories/sessions.ts';
import type { User } from '../repositories/users.ts';

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
  throttleTouches(store, TOUCH_EVERY_MS);
  const justRead = readUsersWithSessions(store, db);
  return { middleware: sessionMiddleware(config, store, justRead), close: () => store.close() };
}

/** The user read with each request's session (null: the session names none that exists), for `loadCurrentUser`. */
const usersReadWithSessions = new WeakMap<Request, User | null>();

export function userReadWithSession(req: Request): User | null | undefined {
  return usersReadWithSessions.get(req);
}

/**
 * The store reads a session and the user it names in one statement (repositories/sessions.ts), instead of a query
 * for each: a signed-in page makes one round trip fewer. express-session handles what `get` gives it synchronously
 * (it inflates the session and calls the next middleware in the same call), so the user read with the session is
 * taken by `sessionMiddleware` during that very call, and by nobody else. The callback runs on the next tick, as
 * connect-pg-simple's does.
 */
function readUsersWithSessions(store: session.Store, db: Db): () => User | null | undefined {
  let justRead: User | null | undefined;
  const deliver = (sid: string, found: Awaited<ReturnType<typeof sessionWithUser>>, callback: GetCallback) => {
    if (!found) return callback(null);
    const data = sessionData(found.sess);
    // A row that is not a session (never written by us): ended, and the visitor gets a new one, as connect-pg-simple does.
    if (!data) return store.destroy(sid, (error?: unknown) => callback(error ?? null));
    justRead = found.user;
    try {
      callback(null, data);
    } finally {
      justRead = undefined;
    }
  };
  store.get = (sid, callback) => {
    sessionWithUser(db, sid).then(
      (found) => process.nextTick(deliver, sid, found, callback),
      (error: unknown) => process.nextTick(callback, error),
    );
  };
  return () => justRead;
}

type GetCallback = Parameters<session.Store['get']>[1];

function isSessionData(value: unknown): value is session.SessionData {
  return typeof value === 'object' && value !== null && typeof (value as { cookie?: unknown }).cookie === 'object';
}

/** What the `sess` column holds, as a session (the `json` column arrives parsed; a string is parsed), if it is one. */
function sessionData(stored: unknown): session.SessionData | undefined {
  let value = stored;
  if (typeof stored === 'string')
    try {
      value = JSON.parse(stored) as unknown;
    } catch {
      return undefined;
    }
  return isSessionData(value) ? value : undefined;
}

/** express-session on `store`, with redirects that wait for the session to be saved (see `saveBeforeRedirect`). */
export function sessionMiddleware(
  config: Config,
  store: session.Store,
  justRead: () => User | null | undefined = () => undefined,
): RequestHandler {
  const expressSession = session({
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
  return (req, res, next) =>
    expressSession(req, res, (error?: unknown) => {
      if (error) return next(error);
      const user = justRead();
      if (user !== undefined) usersReadWithSessions.set(req, user);
      saveBeforeRedirect(req, res, next);
      next();
    });
}

/**
 * express-session saves a changed session while the response is written: the headers go out first and the last byte
 * waits for the store. A browser follows a redirect as soon as its headers arrive, so the next page could read the
 * session from the store before the change (a notice lost, a sign-in not yet seen). A redirect that follows a change
 * therefore waits for the save; one that follows no change (or a destroyed session) goes at once, and a session
 * nobody wrote to is never stored.
 */
export function saveBeforeRedirect(req: Request, res: Response, next: (error: unknown) => void): void {
  const id = req.sessionID;
  const before = snapshot(req.session);
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const current = req.session as session.Session | undefined;
    if (!current || (req.sessionID === id && snapshot(current) === before)) return redirect(...args);
    current.save((error) => (error ? next(error) : redirect(...args)));
  }) as Response['redirect'];
}

/** The session's data as express-session compares it: everything but the cookie. */
function snapshot(data: object | undefined): string {
  return JSON.stringify(data ?? {}, function (this: unknown, key, value: unknown) {
    return this === data && key === 'cookie' ? undefined : value;
  });
}

/** The session row's expiry is pushed back at most once a minute, not on every request (one UPDATE saved each time). */
export const TOUCH_EVERY_MS = 60_000;

/**
 * express-session touches the store on every request of a rolling session. Touching again within `everyMs` changes
 * the row's expiry by less than that: skipped. The row may then expire up to `everyMs` before the cookie, which is
 * why it stays short. In-process memory only: with several processes, each skips its own repeats.
 */
export function throttleTouches(store: session.Store, everyMs: number): void {
  if (everyMs <= 0 || !store.touch) return;
  const touch = store.touch.bind(store);
  const lastTouch = new Map<string, number>();
  store.touch = (sid, sess, callback) => {
    const now = Date.now();
    if (now - (lastTouch.get(sid) ?? 0) < everyMs) return callback?.();
    if (lastTouch.size > 50_000) for (const [key, at] of lastTouch) if (now - at >= everyMs) lastTouch.delete(key);
    lastTouch.set(sid, now);
    touch(sid, sess, callback);
  };
}
