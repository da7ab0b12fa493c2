import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../src/db/knex.ts';

/** Tables that hold reference data seeded in the template: never truncated between tests. */
const REFERENCE_TABLES = new Set([
  'knex_migrations',
  'knex_migrations_lock',
  'scope_groups',
  'scopes',
  'use_cases',
  'use_case_scopes',
  'legal_categories',
  'establishments',
]);

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} manquant : lancez les tests avec « npm test »`);
  return value;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: env('TEST_PG_ADMIN_URL') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

/** A database of its own for one test file, cloned from the migrated and seeded template (fast: a file copy). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `signup_test_${randomBytes(6).toString('hex')}`;
  await admin((c) =>
    c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(env('TEST_PG_TEMPLATE'))}`),
  );
  const url = new URL(env('TEST_PG_ADMIN_URL'));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      admin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Empties every table that tests write to (users, sessions, outbox, jobs), keeping the reference data. */
export async function resetData(db: Db): Promise<void> {
  const rows = (await db('pg_tables').where('schemaname', 'public').select('tablename')) as { tablename: string }[];
  const tables = rows.map((r) => r.tablename).filter((t) => !REFERENCE_TABLES.has(t));
  if (tables.length > 0) await db.raw(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
  await db.raw('DELETE FROM graphile_worker._private_jobs');
}

export function openDb(url: string): Db {
  return createDb(url, { timeoutMs: 3000 });
}
