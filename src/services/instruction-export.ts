import { pipeline, Transform, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Knex } from 'knex';
import QueryStream from 'pg-query-stream';
import { longRunningClient } from '../db/long-running.ts';
import { EXPORT_COLUMNS, exportFileName, exportRecord, type ExportRow } from '../domain/instruction-export.ts';
import { parseListQuery, type ListProblem } from '../domain/instruction-list.ts';
import type { Logger } from '../logger.ts';
import { allUseCases } from '../repositories/catalogue.ts';
import { instructionExportQuery } from '../repositories/instruction.ts';
import type { User } from '../repositories/users.ts';

export type ExportOutcome =
  { kind: 'refused'; problems: ListProblem[] } | { kind: 'csv'; stream: Readable; fileName: string };

/**
 * The CSV of the instructors' list with its filters: every matching request (not only a page), read from a database
 * cursor on a connection of its own (long-running limits, never the web pool) and written as it is read, so that a
 * million rows take the memory of one batch. UTF-8 with a byte order mark and `;` between cells: what a French
 * spreadsheet opens as columns; formulas neutralised.
 */
export function instructionExportService(db: Knex, databaseUrl: string, logger: Logger) {
  return {
    async export(query: Record<string, unknown>, viewer: User, now = new Date()): Promise<ExportOutcome> {
      const useCases = await allUseCases(db);
      const { apres: _page, ...filtersOnly } = query;
      const { filters, problems } = parseListQuery(filtersOnly, new Set(useCases.map((u) => u.id)));
      // The export is of SignUp's requests: démarches simplifiées' dossiers are read in the list (sent back there).
      if (filters.origin)
        problems.push({ field: 'origine', message: 'Origine\u00a0: l’export porte sur les demandes SignUp' });
      if (problems.length) return { kind: 'refused', problems };
      const { sql, bindings } = instructionExportQuery(db, filters, viewer.id).toSQL().toNative();
      const client = longRunningClient(databaseUrl, 'signup-export');
      await client.connect();
      const rows = client.query(new QueryStream(sql, bindings as unknown[], { batchSize: 1000 }));
      const records = new Transform({
        objectMode: true,
        transform: (row: ExportRow, _encoding, done) => done(null, exportRecord(row)),
      });
      const csv = stringify({
        delimiter: ';',
        bom: true,
        header: true,
        columns: EXPORT_COLUMNS.map((c) => c.header),
        record_delimiter: 'windows',
      });
      // The connection ends with the stream, whether it was read to the end, failed, or the reader went away.
      const stream = pipeline(rows, records, csv, (error) => {
        client.end().catch(() => undefined);
        if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE')
          logger.error({ err: error }, 'instruction export failed');
      });
      return { kind: 'csv', stream, fileName: exportFileName(now) };
    },
  };
}
