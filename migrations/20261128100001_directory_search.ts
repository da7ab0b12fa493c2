import type { Knex } from 'knex';

/*
 * Name search in the SIRENE directory: a trigram (pg_trgm) GIN index on a normalised copy of the names.
 *
 * directory_normalise() folds accents with translate() rather than the unaccent extension: unaccent() is only STABLE
 * (its dictionary can change), so it cannot feed a generated column, and not every PostgreSQL host ships it.
 * translate() runs before lower() because lower() only folds ASCII letters under the C locale. Anything that is
 * not a letter or a digit becomes one space: « Villeneuve-d'Ascq » and « VILLENEUVE D ASCQ » are the same text.
 * translate() is slow on multibyte text, and most INSEE names are plain ASCII (same length in bytes and characters):
 * those skip it, which makes a million-row import several seconds faster.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.raw(`
    CREATE FUNCTION directory_normalise(value text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.lower(
        CASE WHEN pg_catalog.octet_length(value) = pg_catalog.char_length(value) THEN value
        ELSE pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
          pg_catalog.translate(value,
            'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝŸýÿ',
            'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYYyy'),
          'Œ', 'OE'), 'œ', 'oe'), 'Æ', 'AE'), 'æ', 'ae'), 'ß', 'ss') END),
        '[^a-z0-9]+', ' ', 'g'))`);
  await knex.schema.alterTable('establishments', (t) => {
    t.text('legal_unit_name');
    t.boolean('is_head_office').notNullable().defaultTo(false);
  });
  // The legal unit's name is searched too, when it differs from the establishment's (« MAIRIE » of « COMMUNE DE X »).
  await knex.raw(`
    ALTER TABLE establishments ADD COLUMN search_name text NOT NULL GENERATED ALWAYS AS (directory_normalise(
      name || ' ' || coalesce(sigle, '') || ' ' || coalesce(enseigne, '') || ' '
      || coalesce(CASE WHEN legal_unit_name <> name THEN legal_unit_name END, '')
    )) STORED`);
  await knex.raw('CREATE INDEX establishments_search_name_trgm ON establishments USING gin (search_name gin_trgm_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX establishments_search_name_trgm');
  await knex.schema.alterTable('establishments', (t) => {
    t.dropColumn('search_name');
    t.dropColumn('is_head_office');
    t.dropColumn('legal_unit_name');
  });
  await knex.raw('DROP FUNCTION directory_normalise(text)');
  // Without CASCADE: if something else has come to use pg_trgm since, this fails instead of dropping it too.
  await knex.raw('DROP EXTENSION IF EXISTS pg_trgm');
}
