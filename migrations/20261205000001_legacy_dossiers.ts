import type { Knex } from 'knex';

/*
 * Requests made on démarches simplifiées before 27/08/2019, imported from the procedure's exports (its API's JSON or
 * its spreadsheet's dossiers sheet). Read-only: only the import writes them, keyed by the dossier's number; `original`
 * keeps the node or the row exactly as exported, `fields` the procedure's own fields in order (label, value).
 * `content_hash` tells a re-import of the same export (nothing to do) from a newer one (an update); `last_modified_at`
 * keeps an older export from undoing a newer one. `search_text` is folded like the requests' own (directory_normalise).
 * An instructor may link a dossier to the authorization that replaced it.
 *
 * `legacy_import_runs` is the import's checkpoint: each batch commits its dossiers and the run's progress together, so
 * a run that stopped half-way (crash, Ctrl-C) is resumed by the next run of the same file (same SHA-256).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('legacy_dossiers', (t) => {
    t.bigInteger('number').primary();
    t.string('ds_state', 20).notNullable();
    t.string('status', 20).notNullable();
    t.text('email');
    t.specificType('siret', 'char(14)');
    t.timestamp('deposited_at', { useTz: true });
    t.timestamp('instruction_started_at', { useTz: true });
    t.timestamp('processed_at', { useTz: true });
    t.timestamp('last_modified_at', { useTz: true });
    t.text('motivation');
    t.jsonb('fields').notNullable().defaultTo('[]');
    t.jsonb('original').notNullable();
    t.string('source', 10).notNullable();
    t.text('content_hash').notNullable();
    t.text('search_text').notNullable();
    t.bigInteger('authorization_id').references('id').inTable('authorizations').onDelete('SET NULL');
    t.bigInteger('linked_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('linked_at', { useTz: true });
    t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['siret']);
    t.index(['email']);
    t.index(['authorization_id']);
  });
  await knex.raw(`
    ALTER TABLE legacy_dossiers
      ADD CONSTRAINT legacy_dossiers_ds_state
        CHECK (ds_state IN ('brouillon','en_construction','en_instruction','accepte','refuse','sans_suite')),
      ADD CONSTRAINT legacy_dossiers_status CHECK (status IN ('draft','submitted','validated','refused','archived')),
      ADD CONSTRAINT legacy_dossiers_source CHECK (source IN ('api','tableur')),
      ADD CONSTRAINT legacy_dossiers_number CHECK (number > 0)`);
  await knex.raw('CREATE INDEX legacy_dossiers_order ON legacy_dossiers (deposited_at DESC NULLS LAST, number DESC)');
  await knex.raw('CREATE INDEX legacy_dossiers_search ON legacy_dossiers USING gin (search_text gin_trgm_ops)');
  await knex.schema.createTable('legacy_import_runs', (t) => {
    t.bigIncrements('id');
    t.text('file_name').notNullable();
    t.string('file_sha256', 64).notNullable();
    t.string('status', 10).notNullable().defaultTo('running');
    t.integer('records_done').notNullable().defaultTo(0);
    t.integer('added').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('unchanged').notNullable().defaultTo(0);
    t.integer('rejected').notNullable().defaultTo(0);
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['file_sha256', 'status']);
  });
  await knex.raw(
    "ALTER TABLE legacy_import_runs ADD CONSTRAINT legacy_import_runs_status CHECK (status IN ('running','finished'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('legacy_import_runs');
  await knex.schema.dropTable('legacy_dossiers');
}
