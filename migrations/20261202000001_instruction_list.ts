import type { Knex } from 'knex';

/*
 * The instructors' list: who took a request (`assigned_to`), a folded copy of what instructors search
 * (`search_text`: number, title, organisation name and SIRET, applicant name and email, through directory_normalise)
 * with a trigram index, and two indexes that serve the list in submission order and in order of last change, for keyset pagination. `search_text`
 * spans three tables, so it is written by the transition use case whenever a request changes state, rather than
 * generated.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('access_requests', (t) => {
    t.bigInteger('assigned_to').references('id').inTable('users').onDelete('SET NULL');
    t.text('search_text');
    t.index(['assigned_to']);
  });
  await knex.raw(
    'CREATE INDEX access_requests_search_text_trgm ON access_requests USING gin (search_text gin_trgm_ops)',
  );
  await knex.raw(
    `CREATE INDEX access_requests_instruction_order ON access_requests (submitted_at DESC, id DESC)
       WHERE submitted_at IS NOT NULL`,
  );
  await knex.raw(
    `CREATE INDEX access_requests_instruction_changes ON access_requests (updated_at DESC, id DESC)
       WHERE submitted_at IS NOT NULL`,
  );
  await knex.raw(`
    UPDATE access_requests r SET search_text = directory_normalise(concat_ws(' ', r.id::text, r.title, o.name, o.siret,
      u.given_name, u.family_name, u.email))
    FROM organisations o, users u WHERE o.id = r.organisation_id AND u.id = r.created_by`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX access_requests_instruction_changes');
  await knex.raw('DROP INDEX access_requests_instruction_order');
  await knex.raw('DROP INDEX access_requests_search_text_trgm');
  await knex.schema.alterTable('access_requests', (t) => {
    t.dropColumn('search_text');
    t.dropColumn('assigned_to');
  });
}
