import pg from 'pg';
import { connectionLimits, discardOnReadTimeout } from './knex.ts';

/**
 * The gateway's token introspection is called for every API Entreprise request: it gets a small pool of its own,
 * queried with node-postgres' named (prepared) statements directly, without knex's query building, and with the same
 * limits as the web pool (a frozen database answers 503 rather than hanging the gateway).
 */
export function hotPathPool(connectionString: string, timeoutMs: number, max = 4): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    application_name: 'signup-introspection',
    max,
    ...connectionLimits(timeoutMs),
  });
  pool.on('connect', (client) => void discardOnReadTimeout(client));
  pool.on('error', () => undefined); // an idle client lost (database restart): the pool makes a new one
  return pool;
}

export type Queryable = Pick<pg.Pool, 'query'>;

/**
 * A connection that LISTENs to `channel` and calls `onChange` at each notice; `onLost` when the connection drops (the
 * caller forgets what it kept and listens again later).
 */
export function noticeListener(connectionString: string, channel: string) {
  let client: pg.Client | undefined;
  return {
    async connect(onChange: () => void, onLost: () => void): Promise<void> {
      const next = new pg.Client({
        connectionString,
        application_name: 'signup-token-notices',
        connectionTimeoutMillis: 10_000,
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      });
      let lost = false;
      const drop = () => {
        if (lost) return;
        lost = true;
        onLost();
      };
      next.on('notification', onChange);
      next.on('error', drop);
      next.on('end', drop);
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      client = next;
    },
    async close(): Promise<void> {
      const closing = client;
      client = undefined;
      closing?.removeAllListeners('end');
      closing?.removeAllListeners('error');
      closing?.on('error', () => undefined);
      await closing?.end().catch(() => undefined);
    },
  };
}
