/**
 * `npm run bench:legacy`: `legacy:import` at scale. Embedded PostgreSQL in a temporary directory, migrations, made-up
 * exports (bench/legacy-generate.ts), then each import in a process of its own (its peak RSS is its own): 10,000
 * dossiers of the API's JSON, 100,000 (ten times more: the same memory if it streams), the same 100,000 again
 * (nothing to write), the spreadsheet's 100,000 (every dossier rewritten), and the 100,000 of the API again under a
 * 48 MB heap (smaller than the file). Writes bench/results/legacy.json.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { writeApiExport, writeSheetExport } from './legacy-generate.ts';
import { freePort } from './signup-process.ts';

const RESULTS_FILE = path.resolve(import.meta.dirname, 'results/legacy.json');
const COUNT = Number(process.env.LEGACY_DOSSIERS ?? 100_000);
const root = path.resolve(import.meta.dirname, '..');

type ChildResult = {
  summaries: { read: number; added: number; updated: number; unchanged: number; rejected: number }[];
  ms: number;
  rssBeforeMb: number;
  peakRssMb: number;
};

async function timedImport(url: string, label: string, file: string, nodeFlags: string[] = []) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', path.join(root, 'bench/legacy-child.ts'), file],
    { env: { ...process.env, DATABASE_URL: url }, maxBuffer: 16 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
  const s = result.summaries[0]!;
  const perSecond = Math.round(s.read / (result.ms / 1000));
  const row = {
    label,
    fileMb: Math.round(statSync(file).size / 104857.6) / 10,
    read: s.read,
    added: s.added,
    updated: s.updated,
    unchanged: s.unchanged,
    rejected: s.rejected,
    seconds: Math.round(result.ms) / 1000,
    dossiersPerSecond: perSecond,
    rssBeforeMb: result.rssBeforeMb,
    peakRssMb: result.peakRssMb,
  };
  console.log(
    `${label}: ${row.seconds} s, ${perSecond} dossiers/s; added ${s.added}, updated ${s.updated}, unchanged ${s.unchanged}; peak RSS ${row.peakRssMb} MB (${row.rssBeforeMb} MB before)`,
  );
  return row;
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'signup-bench-legacy-'));
  const pgDir = mkdtempSync(path.join(os.tmpdir(), 'signup-bench-legacy-pg-'));
  let embedded: EmbeddedDatabase | undefined;
  try {
    embedded = await startEmbeddedPostgres({
      dataDir: pgDir,
      port: await freePort(),
      database: 'bench',
      ephemeral: true,
    });
    const url = embedded.url('bench');
    await migrate(url, createLogger('warn'));
    const files = {
      small: path.join(workDir, 'small.json'),
      json: path.join(workDir, 'dossiers.json'),
      csv: path.join(workDir, 'dossiers.csv'),
    };
    console.log(`Generating ${COUNT / 10} and ${COUNT} dossiers…`);
    await writeApiExport(files.small, COUNT / 10, 7, 10_000_000);
    await writeApiExport(files.json, COUNT);
    await writeSheetExport(files.csv, COUNT);
    const runs = [
      await timedImport(url, `API JSON, ${COUNT / 10} dossiers`, files.small),
      await timedImport(url, `API JSON, ${COUNT} dossiers`, files.json),
      await timedImport(url, `API JSON, same ${COUNT} again`, files.json),
      await timedImport(url, `spreadsheet CSV, ${COUNT} dossiers (all rewritten)`, files.csv),
      // A file larger than the heap it is given: only a stream gets through (a whole file read would not).
      await timedImport(url, `API JSON, ${COUNT} dossiers, heap limited to 48 MB`, files.json, [
        '--max-old-space-size=48',
      ]),
    ];
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg(),
      count: COUNT,
      runs,
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nResults written to ${RESULTS_FILE}`);
  } finally {
    await embedded?.stop().catch(() => undefined);
    for (const dir of [workDir, pgDir]) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
