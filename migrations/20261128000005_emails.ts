import type { Knex } from 'knex';

// The email outbox: a row is written in the same transaction as the change that causes it; the worker sends it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('emails', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('to_address', 254).notNullable();
    t.string('subject', 250).notNullable();
    t.text('text_body').notNullable();
    t.text('html_body');
    t.string('template', 100).notNullable();
    t.string('status', 10).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('last_attempt_at', { useTz: true });
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['status', 'created_at']);
  });
  await knex.raw("ALTER TABLE emails ADD CONSTRAINT emails_status CHECK (status IN ('pending','sent','failed'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('emails');
}
