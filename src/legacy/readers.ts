/**
 * The dossiers of an export file, one at a time, read as a stream (memory stays the same whatever the file's size):
 * the API's JSON (one response, or pages of responses concatenated, or a bare `{ "nodes": … }`) and the spreadsheet's
 * dossiers sheet as CSV. A file that cannot be read further ends with a `LegacyFormatError` saying where; the dossiers
 * read before it are kept.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse';
import { chain } from 'stream-chain';
import { verifyFile } from 'stream-json/file/index.js';
import { pick } from 'stream-json/filters/pick.js';
import { parser } from 'stream-json/parser.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import { sheetColumns, type SheetColumns } from '../domain/legacy-sources.ts';

export class LegacyFormatError extends Error {}

export type SourceItem =
  { kind: 'node'; where: string; node: unknown } | { kind: 'row'; where: string; row: string[]; columns: SheetColumns };

/** Any `…dossiers.nodes[i]`, or the `nodes[i]` of a page saved without its envelope. */
const NODE_PATH = /^(?:(?:.*\.)?dossiers\.)?nodes\.\d+$/;

/** Where a JSON file stops being JSON, read by a second pass (only after the first one failed). */
async function jsonErrorPosition(path: string): Promise<string> {
  try {
    await verifyFile(path, { jsonStreaming: true });
    return '';
  } catch (error) {
    const { line, pos } = error as { line?: number; pos?: number };
    return line ? ` à la ligne ${line}, colonne ${pos ?? 0}` : '';
  }
}

export async function* jsonItems(path: string): AsyncGenerator<SourceItem> {
  const pipeline = chain([
    createReadStream(path),
    parser({ jsonStreaming: true }),
    pick({ filter: NODE_PATH }),
    streamValues(),
  ]) as AsyncIterable<{ value: unknown }>;
  let index = 0;
  try {
    for await (const { value } of pipeline) {
      index += 1;
      yield { kind: 'node', where: `dossier n° ${index} du fichier`, node: value };
    }
  } catch (error) {
    // A file that cannot be read (EIO, EACCES…) is no broken JSON: the run stays resumable.
    if (error instanceof LegacyFormatError || typeof (error as { code?: unknown }).code === 'string') throw error;
    throw new LegacyFormatError(
      `JSON illisible${await jsonErrorPosition(path)} (après ${index} dossier${index > 1 ? 's' : ''} lu${index > 1 ? 's' : ''})`,
    );
  }
  if (index === 0)
    throw new LegacyFormatError(
      'aucun dossier trouvé\u00a0: le fichier doit être une réponse de l’API (data.demarche.dossiers.nodes)',
    );
}

/** « ; » when the header line has more of them than « , » (a sheet saved again by a French spreadsheet). */
async function delimiterOf(path: string): Promise<string> {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    const firstLine = buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
    return (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  } finally {
    await file.close();
  }
}

export async function* csvItems(path: string): AsyncGenerator<SourceItem> {
  const records = createReadStream(path).pipe(
    parse({
      bom: true,
      delimiter: await delimiterOf(path),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }),
  ) as AsyncIterable<{ record: string[]; info: { lines: number } }>;
  let columns: SheetColumns | undefined;
  try {
    for await (const { record, info } of records) {
      if (!columns) {
        const found = sheetColumns(record);
        if (!found.ok) throw new LegacyFormatError(`en-tête de la feuille des dossiers\u00a0: ${found.message}`);
        columns = found.columns;
        continue;
      }
      yield { kind: 'row', where: `ligne ${info.lines}`, row: record, columns };
    }
  } catch (error) {
    if (error instanceof LegacyFormatError) throw error;
    if (error instanceof CsvError)
      throw new LegacyFormatError(`CSV illisible à la ligne ${String(error.lines ?? '?')} (${error.code})`);
    throw error;
  }
  if (!columns) throw new LegacyFormatError('fichier vide\u00a0: aucun en-tête de colonnes');
}

/** By the file's name: `.json` is the API's, `.csv` the spreadsheet's; anything else is said. */
export function itemsOf(path: string): AsyncGenerator<SourceItem> {
  if (/\.json$/i.test(path)) return jsonItems(path);
  if (/\.csv$/i.test(path)) return csvItems(path);
  throw new LegacyFormatError(`format inconnu\u00a0: ${path} (attendu\u00a0: .json de l’API ou .csv du tableur)`);
}
