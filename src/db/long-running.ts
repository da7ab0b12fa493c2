import pg from 'pg';

/**
 * Work that legitimately takes long (the SIRENE and legacy imports, CSV exports) runs on a connection of its own, not
 * on the web pool, whose limits are seconds: two hours per statement, checked by the server and, should the server
 * freeze, by the client a minute later; TCP keepalive to notice a peer that is gone.
 */
export const LONG_RUNNING_STATEMENT_MS = 2 * 60 * 60_000;

export function longRunningClient(
  connectionString: string,
  applicationName: string,
  statementMs = LONG_RUNNING_STATEMENT_MS,
): pg.Client {
  return new pg.Client({
    connectionString,
    application_name: applicationName,
    connectionTimeoutMillis: 30_000,
    statement_timeout: statementMs,
    query_timeout: statementMs + 60_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
}
