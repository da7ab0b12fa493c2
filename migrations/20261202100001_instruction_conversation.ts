import type { Knex } from 'knex';

/*
 * What instructors and applicants say about a request: messages between the two sides (each side's unread count
 * is what the other side wrote after the reader's last read message), internal notes that only staff ever read, and
 * the reusable texts of decisions (with variables) that admins manage.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('request_messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('request_id').notNullable().references('id').inTable('access_requests').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('id').inTable('users');
    t.string('side', 20).notNullable();
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['request_id', 'side', 'id']);
  });
  await knex.raw(
    "ALTER TABLE request_messages ADD CONSTRAINT request_messages_side CHECK (side IN ('applicant','instructor'))",
  );
  await knex.schema.createTable('request_reads', (t) => {
    t.bigInteger('request_id').notNullable().references('id').inTable('access_requests').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('last_message_id').notNullable();
    t.primary(['request_id', 'user_id']);
  });
  await knex.schema.createTable('request_notes', (t) => {
    t.bigIncrements('id');
    t.bigInteger('request_id').notNullable().references('id').inTable('access_requests').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('id').inTable('users');
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['request_id', 'id']);
  });
  await knex.schema.createTable('decision_templates', (t) => {
    t.bigIncrements('id');
    t.string('kind', 20).notNullable();
    t.string('title', 200).notNullable();
    t.text('body').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['kind', 'title']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('decision_templates');
  await knex.schema.dropTable('request_notes');
  await knex.schema.dropTable('request_reads');
  await knex.schema.dropTable('request_messages');
}
