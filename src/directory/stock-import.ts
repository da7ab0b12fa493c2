/**
 * Imports INSEE's SIRENE stock files into `establishments`, in one transaction: both files are streamed into
 * temporary staging tables with COPY, then joined on SIREN and upserted. Idempotent; a failure changes nothing.
 */
import { access, constants } from 'node:fs/promises';
import type pg from 'pg';
import { longRunningClient } from '../db/long-running.ts';
import { copyStockFile, type CopyCount, type StockSpec } from './stock-copy.ts';
import {
  ETABLISSEMENT_COLUMNS,
  StockFormatError,
  UNITE_LEGALE_COLUMNS,
  type EtablissementColumn,
  type StockKind,
  type UniteLegaleColumn,
} from './stock-format.ts';
import { etablissementRow, uniteLegaleRow } from './stock-rows.ts';
import { CREATE_STAGING, ETABLISSEMENTS_TARGET, MERGE, UNITES_LEGALES_TARGET } from './stock-sql.ts';

export type ImportOptions = {
  connectionString: string;
  unitesLegalesPath: string;
  etablissementsPath: string;
  /** Called every million rows read, and between the steps. */
  onProgress?: (message: string) => void;
};

export type ImportResult = {
  unitesLegales: CopyCount;
  etablissements: CopyCount;
  inserted: number;
  updated: number;
  /** Establishments already up to date (or, rarely, a SIRET repeated in the file). */
  unchanged: number;
  steps: ImportSteps;
  durationMs: number;
};

const UNITES_LEGALES: StockSpec<UniteLegaleColumn> = {
  kind: 'unitesLegales',
  columns: UNITE_LEGALE_COLUMNS,
  copyTarget: UNITES_LEGALES_TARGET,
  toCopy: (read) => {
    const row = uniteLegaleRow(read);
    return row && [row.siren, row.nonDiffusible, row.name, row.sigle, row.legalCategoryCode];
  },
};

const ETABLISSEMENTS: StockSpec<EtablissementColumn> = {
  kind: 'etablissements',
  columns: ETABLISSEMENT_COLUMNS,
  copyTarget: ETABLISSEMENTS_TARGET,
  toCopy: (read) => {
    const row = etablissementRow(read);
    return (
      row && [
        row.siret,
        row.siren,
        row.nonDiffusible,
        row.name,
        row.enseigne,
        row.naf,
        row.street,
        row.postalCode,
        row.city,
        row.active,
        row.isHeadOffice,
      ]
    );
  },
};

async function assertReadable(path: string, label: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new StockFormatError(`Fichier des ${label} introuvable ou illisible : ${path}`);
  }
}

/** Milliseconds spent in each step. */
export type ImportSteps = { unitesLegalesMs: number; etablissementsMs: number; mergeMs: number; vacuumMs: number };

function stopwatch() {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    return Math.round(elapsed);
  };
}

/** Staging, then the merge, in one transaction on one connection (temporary tables belong to their session). */
async function load(client: pg.Client, options: ImportOptions, lap: () => number) {
  const progress = (kind: StockKind) => (read: number) =>
    options.onProgress?.(
      `${kind === 'unitesLegales' ? 'Unités légales' : 'Établissements'} : ${read.toLocaleString('fr-FR')} lignes lues…`,
    );
  await client.query('BEGIN');
  await client.query("SET LOCAL work_mem = '256MB'");
  await client.query(CREATE_STAGING);
  const unitesLegales = await copyStockFile(
    client,
    options.unitesLegalesPath,
    UNITES_LEGALES,
    progress('unitesLegales'),
  );
  const unitesLegalesMs = lap();
  const etablissements = await copyStockFile(
    client,
    options.etablissementsPath,
    ETABLISSEMENTS,
    progress('etablissements'),
  );
  await client.query('ANALYZE sirene_unites_legales, sirene_etablissements');
  const etablissementsMs = lap();
  options.onProgress?.('Fichiers lus ; mise à jour de l’annuaire…');
  const { rows } = await client.query<{ inserted: number; updated: number }>(MERGE);
  await client.query('COMMIT');
  const merged = { inserted: rows[0]?.inserted ?? 0, updated: rows[0]?.updated ?? 0 };
  return { unitesLegales, etablissements, ...merged, steps: { unitesLegalesMs, etablissementsMs, mergeMs: lap() } };
}

/**
 * Statistics for the planner, the trigram index's pending entries merged, dead rows of the updates reclaimed: the
 * directory is ready for searches when the import returns, rather than whenever autovacuum comes by. The data is
 * committed already: a failure here is only reported.
 */
async function tidy(client: pg.Client, options: ImportOptions): Promise<void> {
  options.onProgress?.('Annuaire à jour ; VACUUM ANALYZE…');
  await client.query('VACUUM (ANALYZE) establishments').catch((error: unknown) => {
    options.onProgress?.(
      `VACUUM ANALYZE impossible (l’autovacuum s’en chargera) : ${error instanceof Error ? error.message : String(error)}`,
    );
  });
}

export async function importSireneStock(options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  await assertReadable(options.unitesLegalesPath, 'unités légales');
  await assertReadable(options.etablissementsPath, 'établissements');
  const client = longRunningClient(options.connectionString, 'signup-sirene-import');
  await client.connect();
  try {
    // Temporary tables live in local buffers: give them room before the first one is created.
    await client.query("SET temp_buffers = '256MB'");
    const lap = stopwatch();
    const loaded = await load(client, options, lap).catch(async (error: unknown) => {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    });
    await tidy(client, options);
    const staged = loaded.etablissements.read - loaded.etablissements.rejected;
    const unchanged = Math.max(0, staged - loaded.inserted - loaded.updated);
    return {
      ...loaded,
      unchanged,
      steps: { ...loaded.steps, vacuumMs: lap() },
      durationMs: performance.now() - started,
    };
  } finally {
    await client.end();
  }
}
