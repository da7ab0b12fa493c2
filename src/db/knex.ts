import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../logger.ts';

// Return DATE columns as strings ("2026-11-28"), not midnight-local Date objects.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = Knex;

/**
 * One knex pool per process. Short timeouts so that an unreachable database gives a 503 within seconds
 * instead of knex's 60 s default.
 */
export function createDb(connectionString: string, options: { timeoutMs: number; poolMax?: number; logger?: Logger }): Db {
  const log = options.logger;
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString,
      connectionTimeoutMillis: options.timeoutMs,
      statement_timeout: 15_000,
      application_name: 'signup',
    },
    pool: { min: 0, max: options.poolMax ?? 10, idleTimeoutMillis: 30_000 },
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

/** Error codes and messages that mean "the database cannot be reached", as opposed to a bug in a query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006'].includes(code)) {
    return true;
  }
  return (
    error.name === 'KnexTimeoutError' ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting|shutting) up/i.test(error.message)
  );
}

/**
 * A pg.Pool-shaped view of the knex pool, so that connect-pg-simple shares knex's connections
 * instead of opening a second pool.
 */
export function poolFromKnex(db: Db): Pick<pg.Pool, 'query'> {
  const client = db.client as { acquireConnection(): Promise<pg.PoolClient>; releaseConnection(c: pg.PoolClient): Promise<void> };
  return {
    query: (async (text: string, params?: unknown[]) => {
      const connection = await client.acquireConnection();
      try {
        return await connection.query(text, params);
      } finally {
        await client.releaseConnection(connection);
      }
    }) as pg.Pool['query'],
  };
}
