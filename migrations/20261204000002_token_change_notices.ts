import type { Knex } from 'knex';

/*
 * Every change that can change an introspection's answer (a token created, revoked, renewed or deleted; an
 * authorization ended; an organisation's SIRET) notifies `signup_token_changes` when it commits, whoever writes it:
 * each SignUp process keeps recent answers in memory and forgets them on the notice (services/introspection.ts).
 * Statement-level: a bulk insert notifies once; the last-use flush (last_used_at only) does not notify.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION notify_token_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('signup_token_changes', TG_TABLE_NAME);
      RETURN NULL;
    END $$;
    CREATE TRIGGER api_tokens_changed
      AFTER INSERT OR DELETE OR UPDATE OF secret_hash, expires_at, revoked_at, replaced_by, authorization_id
      ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION notify_token_change();
    CREATE TRIGGER authorizations_changed
      AFTER DELETE OR UPDATE OF status, scopes, organisation_id
      ON authorizations FOR EACH STATEMENT EXECUTE FUNCTION notify_token_change();
    CREATE TRIGGER organisations_siret_changed
      AFTER UPDATE OF siret ON organisations FOR EACH STATEMENT EXECUTE FUNCTION notify_token_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER organisations_siret_changed ON organisations;
    DROP TRIGGER authorizations_changed ON authorizations;
    DROP TRIGGER api_tokens_changed ON api_tokens;
    DROP FUNCTION notify_token_change();
  `);
}
