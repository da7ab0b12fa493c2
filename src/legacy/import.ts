/**
 * `legacy:import`: démarches simplifiées exports into `legacy_dossiers`. Each file is streamed; its dossiers are
 * checked one by one (a bad one is reported with its line or index and skipped) and written in batches, each batch
 * in its own transaction together with the run's checkpoint: a run stopped half-way loses nothing it committed, and
 * the next run of the same file starts after it. Re-importing a file changes nothing; a newer export updates.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { longRunningClient } from '../db/long-running.ts';
import { checkDossier, contentHash, searchTextOf, type LegacyRecord } from '../domain/legacy-dossiers.ts';
import { rawFromNode, rawFromRow, type RawCheck } from '../domain/legacy-sources.ts';
import { ADVANCE_RUN, FIND_UNFINISHED_RUN, FINISH_RUN, START_RUN, UPSERT_BATCH } from './import-sql.ts';
import { itemsOf, LegacyFormatError, type SourceItem } from './readers.ts';

export type Counts = { read: number; added: number; updated: number; unchanged: number; rejected: number };

export type FileSummary = Counts & {
  file: string;
  /** Dossiers committed by an earlier, interrupted run of the same file, not read again. */
  resumedAfter: number;
  /** Why the file could not be read to its end (the dossiers before were imported). */
  error?: string;
};

export type LegacyImportOptions = {
  connectionString: string;
  paths: string[];
  batchSize?: number;
  onProgress?: (message: string) => void;
  /** A dossier not imported, where it is in its file, and why. */
  onRejected?: (file: string, where: string, problems: string[]) => void;
  /** Called after each committed batch (tests stop a run there, as a crash would). */
  afterBatch?: (file: string, committed: number) => Promise<void> | void;
};

const PROGRESS_EVERY = 10_000;
const zero = (): Counts => ({ read: 0, added: 0, updated: 0, unchanged: 0, rejected: 0 });

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function rawOf(item: SourceItem): RawCheck {
  return item.kind === 'node' ? rawFromNode(item.node) : rawFromRow(item.row, item.columns);
}

/** One row per dossier number in a batch (the same dossier twice in a file: the later export wins). */
function batchRows(records: LegacyRecord[]) {
  const byNumber = new Map<number, LegacyRecord>();
  for (const r of records) {
    const kept = byNumber.get(r.number);
    if (!kept || !kept.lastModifiedAt || !r.lastModifiedAt || r.lastModifiedAt >= kept.lastModifiedAt)
      byNumber.set(r.number, r);
  }
  return [...byNumber.values()].map((r) => ({
    number: r.number,
    ds_state: r.dsState,
    status: r.status,
    email: r.email,
    siret: r.siret,
    deposited_at: r.depositedAt,
    instruction_started_at: r.instructionStartedAt,
    processed_at: r.processedAt,
    last_modified_at: r.lastModifiedAt,
    motivation: r.motivation,
    fields: r.fields,
    original: r.original,
    source: r.source,
    content_hash: contentHash(r),
    search_text: searchTextOf(r),
  }));
}

type Run = { id: string; recordsDone: number };

async function commitBatch(client: pg.Client, run: Run, records: LegacyRecord[], done: number, rejected: number) {
  const rows = batchRows(records);
  await client.query('BEGIN');
  try {
    const written = rows.length
      ? (await client.query<{ inserted: boolean }>(UPSERT_BATCH, [JSON.stringify(rows)])).rows
      : [];
    const added = written.filter((w) => w.inserted).length;
    // A dossier twice in one batch is written once: its other occurrence counts as unchanged (read = the sum).
    const batch = { added, updated: written.length - added, unchanged: records.length - written.length };
    await client.query(ADVANCE_RUN, [run.id, done, batch.added, batch.updated, batch.unchanged, rejected]);
    await client.query('COMMIT');
    return batch;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function startRun(client: pg.Client, file: string): Promise<Run> {
  const sha256 = await sha256Of(file);
  const unfinished = await client.query<Run>(FIND_UNFINISHED_RUN, [sha256]);
  return unfinished.rows[0] ?? (await client.query<Run>(START_RUN, [path.basename(file), sha256])).rows[0]!;
}

async function importFile(client: pg.Client, file: string, options: LegacyImportOptions): Promise<FileSummary> {
  const run = await startRun(client, file);
  const summary: FileSummary = { file, ...zero(), resumedAfter: run.recordsDone };
  const batchSize = options.batchSize ?? 500;
  let pending: LegacyRecord[] = [];
  let pendingRejected = 0;
  let seen = 0;
  const write = async (records: LegacyRecord[], rejected: number, done: number) => {
    const batch = await commitBatch(client, run, records, done, rejected);
    summary.added += batch.added;
    summary.updated += batch.updated;
    summary.unchanged += batch.unchanged;
    summary.rejected += rejected;
    await options.afterBatch?.(file, done);
  };
  // The file is read on while the database writes the previous batch: one transaction at a time on the connection,
  // each started once the one before committed (so that a failure stops the run after the last committed batch).
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const [records, rejected] = [pending, pendingRejected];
    [pending, pendingRejected] = [[], 0];
    await inFlight;
    inFlight = write(records, rejected, seen);
    inFlight.catch(() => undefined); // awaited by the next flush, or at the end
  };
  try {
    for await (const item of itemsOf(file)) {
      seen += 1;
      if (seen <= run.recordsDone) continue;
      summary.read += 1;
      const raw = rawOf(item);
      const checked = raw.ok ? checkDossier(raw.raw) : raw;
      if (checked.ok) pending.push(checked.record);
      else {
        pendingRejected += 1;
        options.onRejected?.(file, item.where, checked.problems);
      }
      if (pending.length + pendingRejected >= batchSize) await flush();
      if (seen % PROGRESS_EVERY === 0)
        options.onProgress?.(`${path.basename(file)}\u00a0: ${seen.toLocaleString('fr-FR')} dossiers lus…`);
    }
  } catch (error) {
    if (!(error instanceof LegacyFormatError)) throw error;
    summary.error = error.message;
  }
  await flush();
  await inFlight;
  await client.query(FINISH_RUN, [run.id]);
  return summary;
}

export async function importLegacyDossiers(options: LegacyImportOptions): Promise<FileSummary[]> {
  for (const file of options.paths) {
    itemsOf(file); // the format, by the file's name, checked before anything is written
    await access(file, constants.R_OK).catch(() => {
      throw new LegacyFormatError(`fichier introuvable ou illisible\u00a0: ${file}`);
    });
  }
  const client = longRunningClient(options.connectionString, 'signup-legacy-import');
  await client.connect();
  try {
    const summaries: FileSummary[] = [];
    for (const file of options.paths) summaries.push(await importFile(client, file, options));
    return summaries;
  } finally {
    await client.end();
  }
}
