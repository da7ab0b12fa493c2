import type { Knex } from 'knex';

/*
 * Renewal of an authorization: a new request, prefilled from the authorization, that names the one it renews. On
 * acceptance, the new authorization supersedes the old one and its tokens move over (services/authorization-grant.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('access_requests', (t) => {
    t.bigInteger('renews_authorization_id').references('id').inTable('authorizations');
    t.index(['renews_authorization_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('access_requests', (t) => {
    t.dropColumn('renews_authorization_id');
  });
}
