import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.string('email', 254).notNullable();
    t.string('given_name', 100).notNullable();
    t.string('family_name', 100).notNullable();
    t.text('password_hash');
    t.specificType('roles', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('activated_at', { useTz: true });
    t.timestamps(true, true);
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_lower_unique ON users (lower(email))');
  await knex.raw(
    "ALTER TABLE users ADD CONSTRAINT users_roles_known CHECK (roles <@ ARRAY['instructor','reporter','admin']::text[])",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
