import type { Knex } from 'knex';

/*
 * Counts of the instructors' list without counting a million rows on each page: one row per status, use case and
 * assignee (0: nobody) of the requests submitted at least once, kept by statement-level triggers over the transition
 * tables of `access_requests` (whoever writes them: the transition use case, an assignment, an import, a fixture).
 * One write per group a statement changes, never one per row: a bulk import of a million rows updates each counter
 * once, and a save that changes no status, use case or assignee writes nothing. The list's counts per status under
 * the status, use case and assignment filters are sums of these rows (see repositories/instruction.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('request_counts', (t) => {
    t.string('status', 20).notNullable();
    t.string('use_case_id', 100).notNullable();
    t.bigInteger('assigned_to').notNullable(); // 0: nobody
    t.bigInteger('count').notNullable().defaultTo(0);
    t.primary(['status', 'use_case_id', 'assigned_to']);
  });
  await knex.raw(`
    INSERT INTO request_counts (status, use_case_id, assigned_to, count)
      SELECT status, use_case_id, coalesce(assigned_to, 0), count(*) FROM access_requests
      WHERE submitted_at IS NOT NULL GROUP BY 1, 2, 3`);
  await knex.raw(`
    CREATE FUNCTION request_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO request_counts (status, use_case_id, assigned_to, count)
          SELECT status, use_case_id, coalesce(assigned_to, 0), count(*) FROM new_rows
          WHERE submitted_at IS NOT NULL GROUP BY 1, 2, 3
          ON CONFLICT (status, use_case_id, assigned_to) DO UPDATE SET count = request_counts.count + excluded.count;
      ELSIF TG_OP = 'DELETE' THEN
        UPDATE request_counts c SET count = c.count - d.n
          FROM (SELECT status, use_case_id, coalesce(assigned_to, 0) AS assigned_to, count(*) AS n FROM old_rows
                WHERE submitted_at IS NOT NULL GROUP BY 1, 2, 3) d
          WHERE (c.status, c.use_case_id, c.assigned_to) = (d.status, d.use_case_id, d.assigned_to);
      ELSE
        INSERT INTO request_counts (status, use_case_id, assigned_to, count)
          SELECT status, use_case_id, assigned_to, sum(delta) FROM (
            SELECT status, use_case_id, coalesce(assigned_to, 0) AS assigned_to, -1 AS delta FROM old_rows
              WHERE submitted_at IS NOT NULL
            UNION ALL SELECT status, use_case_id, coalesce(assigned_to, 0), 1 FROM new_rows
              WHERE submitted_at IS NOT NULL) changes
          GROUP BY 1, 2, 3 HAVING sum(delta) <> 0
          ON CONFLICT (status, use_case_id, assigned_to) DO UPDATE SET count = request_counts.count + excluded.count;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER request_counts_insert AFTER INSERT ON access_requests
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION request_counts_follow()`);
  await knex.raw(`CREATE TRIGGER request_counts_update AFTER UPDATE ON access_requests
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION request_counts_follow()`);
  await knex.raw(`CREATE TRIGGER request_counts_delete AFTER DELETE ON access_requests
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION request_counts_follow()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER request_counts_delete ON access_requests');
  await knex.raw('DROP TRIGGER request_counts_update ON access_requests');
  await knex.raw('DROP TRIGGER request_counts_insert ON access_requests');
  await knex.raw('DROP FUNCTION request_counts_follow()');
  await knex.schema.dropTable('request_counts');
}
