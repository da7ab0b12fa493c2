import { createHash } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../logger.ts';

// Return DATE columns as strings ("2026-11-28"), not midnight-local Date objects.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = Knex;

/** The message node-postgres gives a query that had no answer within `query_timeout`. */
const READ_TIMEOUT = 'Query read timeout';

/**
 * The limits of every connection of a pool that serves people: connecting, each statement on the server, and each
 * query on the client. The last one is what answers when the server itself is frozen (a stuck disk, a saturated host,
 * a network partition): `statement_timeout` is enforced by that server, and TCP keepalive only notices a dead peer.
 */
export function connectionLimits(timeoutMs: number, statementMs = timeoutMs) {
  return {
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: statementMs,
    query_timeout: statementMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

type Client = Pick<pg.Client, 'query' | 'end'> & {
  __knex__disposed?: unknown;
  connection?: { stream?: { destroy(): void } };
};

/**
 * A query that timed out on the client leaves its connection waiting for an answer that may never come, and every
 * later query on it would wait behind. The connection is therefore closed at once and marked for knex, whose pool
 * destroys it instead of handing it out again (node-postgres' pool drops closed clients by itself).
 */
export function discardOnReadTimeout<C extends Client>(client: C): C {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const discard = (error: unknown) => {
    if (!(error instanceof Error) || error.message !== READ_TIMEOUT || client.__knex__disposed) return;
    client.__knex__disposed = error;
    client.end().catch(() => undefined);
    client.connection?.stream?.destroy();
  };
  client.query = ((...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, result: unknown) => {
        discard(error);
        (callback as (e: unknown, r: unknown) => void)(error, result);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise)
      return result.catch((error: unknown) => {
        discard(error);
        throw error;
      });
    return result;
  }) as C['query'];
  return client;
}

/**
 * One knex pool per process. Every wait has a limit (`connectionLimits`) so that an unreachable or frozen database
 * gives a 503 within `timeoutMs` and a little more, instead of knex's 60 s default or no answer at all.
 */
export function createDb(
  connectionString: string,
  options: { timeoutMs: number; statementTimeoutMs?: number; poolMax?: number; logger?: Logger },
): Db {
  const log = options.logger;
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString,
      application_name: 'signup',
      ...connectionLimits(options.timeoutMs, options.statementTimeoutMs),
    },
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      idleTimeoutMillis: 30_000,
      afterCreate: (connection: Client, done: (error: Error | null, connection: Client) => void) =>
        done(null, discardOnReadTimeout(connection)),
    },
    acquireConnectionTimeout: options.timeoutMs,
    // knex writes pool and connection errors to the console by default: send them to our logs instead
    log: {
      warn: (message: unknown) => log?.warn({ knex: String(message) }, 'knex'),
      error: (message: unknown) => log?.error({ knex: String(message) }, 'knex'),
      deprecate: (message: unknown) => log?.warn({ knex: String(message) }, 'knex deprecation'),
      debug: (message: unknown) => log?.debug({ knex: String(message) }, 'knex'),
    },
  });
}

/** Error codes and messages that mean "the database cannot be reached or did not answer in time", as opposed to a bug in a query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (
    code &&
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ENOTFOUND',
      '57014',
      '57P01',
      '57P02',
      '57P03',
      '08000',
      '08001',
      '08003',
      '08006',
    ].includes(code)
  ) {
    return true;
  }
  return (
    error.name === 'KnexTimeoutError' ||
    /Connection terminated|Query read timeout|timeout expired|Client was closed and is not queryable|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting|shutting) up/i.test(
      error.message,
    )
  );
}

/**
 * A pg.Pool-shaped view of the knex pool, so that connect-pg-simple shares knex's connections
 * instead of opening a second pool.
 */
/**
 * Options of a query that PostgreSQL plans once per connection and then only executes (a named prepared statement):
 * for the few fixed-shape queries that every signed-in request makes, where planning cost more than running them
 * (0.4 to 0.6 ms against 0.03 to 0.1 ms). One name must stand for one SQL text: a query whose text varies (an
 * optional column, a list) gets one name per shape, or none. Behind a pooler in transaction mode, the pooler must
 * keep prepared statements (PgBouncer 1.21 and later, `max_prepared_statements`).
 */
export function prepared(name: string): { name: string } {
  return { name };
}

const statementNames = new Map<string, string>();
/** The session store's statements are fixed texts: each is named after its own hash. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `store-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** `use` on a connection of knex's pool (or of the transaction `db` is), given back to it afterwards. */
export async function onPoolConnection<T>(db: Db, use: (connection: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = db.client as {
    acquireConnection(): Promise<pg.PoolClient>;
    releaseConnection(c: pg.PoolClient): Promise<void>;
  };
  const connection = await client.acquireConnection();
  try {
    return await use(connection);
  } finally {
    await client.releaseConnection(connection);
  }
}

export function poolFromKnex(db: Db): Pick<pg.Pool, 'query'> {
  return {
    query: ((text: string, params?: unknown[]) =>
      onPoolConnection(db, (connection) =>
        connection.query({ name: statementName(text), text, values: params }),
      )) as pg.Pool['query'],
  };
}
