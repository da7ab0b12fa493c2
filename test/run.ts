/**
 * `npm test`: one real PostgreSQL for the whole run (embedded, or the server of TEST_DATABASE_URL / DATABASE_URL),
 * a migrated and seeded template database that each test file clones, then node's test runner on an explicit list
 * of files (on Node 20 a bare `--test` finds nothing and still passes). Prints "N passed, N failed" and fails when
 * no test ran.
 *
 * `npm test -- test/unit/siret.test.ts` runs only the files given.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/knex.ts';
import { createDatabaseIfMissing, startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedReferenceData, seedSireneSample } from '../src/db/seed.ts';
import { createLogger } from '../src/logger.ts';
import pg from 'pg';
import { freePort } from './helpers/ports.ts';

const root = path.resolve(import.meta.dirname, '..');
const TEMPLATE = `signup_template_${process.pid}`;

function listTests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listTests(full);
    return name.endsWith('.test.ts') ? [path.relative(root, full)] : [];
  });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
  await client.end();
}

async function prepareTemplate(adminUrl: string): Promise<void> {
  await dropDatabase(adminUrl, TEMPLATE);
  await createDatabaseIfMissing(adminUrl, TEMPLATE);
  const url = withDatabase(adminUrl, TEMPLATE);
  const db = createDb(url, { timeoutMs: 10_000 });
  await migrate(url, createLogger('warn'));
  await seedReferenceData(db);
  await seedSireneSample(db);
  await db.destroy();
}

type Result = { code: number; passed: number; failed: number; skipped: number };

function runNodeTests(files: string[], env: NodeJS.ProcessEnv, concurrency: number): Promise<Result> {
  if (files.length === 0) return Promise.resolve({ code: 0, passed: 0, failed: 0, skipped: 0 });
  const args = ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('close', (code) => {
      const count = (label: string) => Number(new RegExp(`^ℹ ${label} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
      resolve({ code: code ?? 1, passed: count('pass'), failed: count('fail'), skipped: count('skipped') });
    });
  });
}

async function main(): Promise<number> {
  const requested = process.argv.slice(2);
  // The browser files first, the largest first: they take most of the run, so two long ones never end it one after
  // the other while the other slot is idle.
  const bySize = (a: string, b: string) => statSync(path.join(root, b)).size - statSync(path.join(root, a)).size;
  const files =
    requested.length > 0
      ? requested
      : [
          ...listTests(path.join(root, 'test/browser')).sort(bySize),
          ...['test/integration', 'test/unit'].flatMap((d) => listTests(path.join(root, d))),
        ];
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl: string;
  if (serverUrl) {
    adminUrl = withDatabase(serverUrl, 'postgres');
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), 'signup-test-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres', ephemeral: true });
    adminUrl = embedded.url('postgres');
  }
  try {
    loadConfig({ NODE_ENV: 'test' });
    await prepareTemplate(adminUrl);
    console.log(`${files.length} fichiers de test, PostgreSQL ${embedded ? 'embarqué' : 'externe'}\n`);
    const env = { ...process.env, NODE_ENV: 'test', TEST_PG_ADMIN_URL: adminUrl, TEST_PG_TEMPLATE: TEMPLATE };
    // No test measures time (durations are for bench/): every file may run next to another on a busy machine.
    const result = await runNodeTests(files, env, 2);
    console.log(`\nTests: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
    if (result.passed + result.failed + result.skipped === 0) {
      console.error('Aucun test n’a été exécuté : échec.');
      return 1;
    }
    return result.code === 0 && result.failed === 0 ? 0 : 1;
  } finally {
    await dropDatabase(adminUrl, TEMPLATE).catch(() => undefined);
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

process.on('SIGINT', () => {
  console.error('\nInterrompu : arrêt de PostgreSQL…');
  process.exitCode = 130;
});

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
