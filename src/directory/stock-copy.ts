/**
 * Streams one stock file into its staging table: file → csv-parse → our rows in COPY text format → COPY FROM STDIN.
 * Backpressure flows end to end, so memory stays bounded whatever the file's size (the real ones are several GB).
 */
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine, type CopyValue } from './copy-text.ts';
import {
  locateColumns,
  rowReader,
  StockFormatError,
  STOCK_LABELS,
  type RowReader,
  type StockKind,
} from './stock-format.ts';

export type StockSpec<C extends string> = {
  kind: StockKind;
  /** Columns of the CSV file needed by toCopy. */
  columns: readonly C[];
  /** COPY target, e.g. "sirene_etablissements (siret, siren, …)" (a constant, never user input). */
  copyTarget: string;
  /** The staging row, or undefined to reject the CSV row (invalid identifier). */
  toCopy: (read: RowReader<C>) => CopyValue[] | undefined;
};

export type CopyCount = { read: number; rejected: number };

const BATCH_BYTES = 256 * 1024;
const PROGRESS_EVERY = 1_000_000;

/** CSV records (arrays of strings) in, COPY text out in chunks of about 256 KB; the first record is the header. */
class StockToCopy<C extends string> extends Transform {
  count: CopyCount = { read: 0, rejected: 0 };
  private positions: Record<C, number> | undefined;
  private width = 0;
  private batch = '';

  constructor(
    private readonly spec: StockSpec<C>,
    private readonly onProgress?: (read: number) => void,
  ) {
    super({ writableObjectMode: true, writableHighWaterMark: 1024 });
  }

  override _transform(values: string[], _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      if (!this.positions) {
        this.positions = locateColumns(values, this.spec.columns, this.spec.kind);
        this.width = values.length;
        return done();
      }
      this.count.read += 1;
      const row = values.length === this.width ? this.spec.toCopy(rowReader(this.positions, values)) : undefined;
      if (row) this.batch += copyLine(row);
      else this.count.rejected += 1;
      if (this.count.read % PROGRESS_EVERY === 0) this.onProgress?.(this.count.read);
      if (this.batch.length >= BATCH_BYTES) {
        this.push(this.batch);
        this.batch = '';
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (!this.positions)
      return done(
        new StockFormatError(
          `Le fichier des ${STOCK_LABELS[this.spec.kind]} est vide : il n’a même pas de ligne d’en-tête.`,
        ),
      );
    if (this.batch) this.push(this.batch);
    done();
  }
}

/** Parser errors (an unclosed quote…) said in French, with the line. */
function explain(error: unknown, kind: StockKind): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = (error as CsvError & { lines?: number }).lines;
  return new StockFormatError(
    `Le fichier des ${STOCK_LABELS[kind]} n’est pas un CSV valide${line ? ` (ligne ${line})` : ''} : ${error.message}`,
  );
}

export async function copyStockFile<C extends string>(
  client: pg.Client,
  path: string,
  spec: StockSpec<C>,
  onProgress?: (read: number) => void,
): Promise<CopyCount> {
  const toCopy = new StockToCopy(spec, onProgress);
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  try {
    await pipeline(
      createReadStream(path, { highWaterMark: 1024 * 1024 }),
      parser,
      toCopy,
      client.query(copyFrom(`COPY ${spec.copyTarget} FROM STDIN`)),
    );
  } catch (error) {
    throw explain(error, spec.kind);
  }
  return toCopy.count;
}
