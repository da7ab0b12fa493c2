import type { Knex } from 'knex';
import type pg from 'pg';
import { onPoolConnection, prepared } from './knex.ts';

/** Stands for the i-th parameter while knex builds the query once; never a value a caller could pass. */
const marker = (i: number) => `\u0000compiled-query-parameter-${i}\u0000`;

type Compiled = { text: string; values: (params: readonly unknown[]) => unknown[] };

function compile(built: Knex.QueryBuilder, count: number): Compiled {
  if (built.toSQL().method !== 'select')
    throw new Error('requête compilée : une lecture de lignes (limit(1), pas first())');
  const { sql, bindings } = built.toSQL().toNative();
  const markers = Array.from({ length: count }, (_, i) => marker(i));
  // Where each bound value comes from: a parameter's index, or -1 for a constant of the query.
  const indexes = bindings.map((binding) => (typeof binding === 'string' ? markers.indexOf(binding) : -1));
  for (let i = 0; i < count; i++)
    if (!indexes.includes(i)) throw new Error(`requête compilée : le paramètre ${i} n’est pas une valeur liée`);
  return {
    text: sql,
    values: (params) => indexes.map((index, at) => (index >= 0 ? params[index] : bindings[at])),
  };
}

/**
 * A query of fixed shape that every signed-in request makes, built by knex once (its text, and where each parameter
 * goes), then sent as a named prepared statement on a connection of knex's pool: no query building per call, which
 * was a tenth of a signed-in page's CPU (bench/README.md). Its parameters must be plain values that knex binds
 * (not lists, not identifiers). Inside a transaction it is built and run by knex as usual, on the transaction.
 */
export function compiledQuery<P extends unknown[], Row>(
  name: string,
  build: (db: Knex, ...params: P) => Knex.QueryBuilder,
): (db: Knex, ...params: P) => Promise<Row[]> {
  let compiled: Compiled | undefined;
  return async (db, ...params) => {
    if (db.isTransaction) return (await build(db, ...params).options(prepared(name))) as Row[];
    compiled ??= compile(build(db, ...(params.map((_, i) => marker(i)) as P)), params.length);
    // knex refuses an undefined binding rather than sending NULL: so does this
    if (params.includes(undefined)) throw new Error(`requête compilée ${name} : paramètre absent`);
    const { text, values } = compiled;
    const result = await onPoolConnection(db, (connection) =>
      connection.query<Row & pg.QueryResultRow>({ name, text, values: values(params) }),
    );
    return result.rows;
  };
}
