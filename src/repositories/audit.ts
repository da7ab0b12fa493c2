import type { Knex } from 'knex';

export type AuditEntry = {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
};

/** Every administrative action leaves a row, written in the same transaction as the action. */
export async function recordAudit(db: Knex, entry: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    actor_id: entry.actorId,
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId,
    details: JSON.stringify(entry.details ?? {}),
  });
}

export async function latestAudit(db: Knex, limit = 100) {
  return db('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .select(
      'a.id',
      'a.action',
      'a.subject_type as subjectType',
      'a.subject_id as subjectId',
      'a.details',
      'a.created_at as createdAt',
      'u.email as actorEmail',
    );
}
