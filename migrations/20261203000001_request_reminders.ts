import type { Knex } from 'knex';

/*
 * Reminders sent to applicants whose request waits for them (a draft, a request sent back for changes): one row per
 * request, kind and version, written in the transaction of its email, so that each untouched state of a request is
 * reminded once whatever the number of runs. The partial index finds the requests that wait, by their last change.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('request_reminders', (t) => {
    t.bigInteger('request_id').notNullable().references('id').inTable('access_requests').onDelete('CASCADE');
    t.string('kind', 20).notNullable();
    t.integer('version').notNullable();
    t.timestamp('sent_at', { useTz: true }).notNullable();
    t.primary(['request_id', 'kind', 'version']);
  });
  await knex.raw(
    "ALTER TABLE request_reminders ADD CONSTRAINT request_reminders_kind CHECK (kind IN ('draft','changes'))",
  );
  await knex.raw(
    `CREATE INDEX access_requests_waiting ON access_requests (status, updated_at)
     WHERE status IN ('draft', 'changes_requested')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX access_requests_waiting');
  await knex.schema.dropTable('request_reminders');
}
