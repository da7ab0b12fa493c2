import type { Knex } from 'knex';

export type ModerationKind = 'other_domain' | 'free_mail' | 'public_service_mission';
export type ModerationCase = {
  id: string;
  kind: ModerationKind;
  status: 'open' | 'approved' | 'refused';
  justification: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  decisionNote: string | null;
  userId: string;
  userEmail: string;
  userName: string;
  organisationId: string;
  organisationName: string;
  siret: string;
};

const columns = [
  'c.id',
  'c.kind',
  'c.status',
  'c.justification',
  'c.created_at as createdAt',
  'c.decided_at as decidedAt',
  'c.decision_note as decisionNote',
  'u.id as userId',
  'u.email as userEmail',
  'o.id as organisationId',
  'o.name as organisationName',
  'o.siret',
];

function base(db: Knex) {
  return db('moderation_cases as c')
    .join('users as u', 'u.id', 'c.user_id')
    .join('organisations as o', 'o.id', 'c.organisation_id')
    .select(columns)
    .select(db.raw(`u.given_name || ' ' || u.family_name as "userName"`));
}

export async function openCase(
  db: Knex,
  input: { kind: ModerationKind; userId: string; organisationId: string; justification: string | null },
): Promise<string> {
  const [row] = (await db('moderation_cases')
    .insert({
      kind: input.kind,
      user_id: input.userId,
      organisation_id: input.organisationId,
      justification: input.justification,
    })
    .returning('id')) as { id: string }[];
  return (row as { id: string }).id;
}

export async function listCases(db: Knex, status: 'open' | 'closed'): Promise<ModerationCase[]> {
  const query = base(db)
    .orderBy('c.created_at', status === 'open' ? 'asc' : 'desc')
    .limit(200);
  return status === 'open' ? query.where('c.status', 'open') : query.whereNot('c.status', 'open');
}

export async function findCase(db: Knex, id: string): Promise<ModerationCase | undefined> {
  if (!/^\d+$/.test(id)) return undefined;
  return base(db).where('c.id', id).first();
}

/** Closes an open case; returns false when it was already decided (someone else was faster). */
export async function closeCase(
  db: Knex,
  id: string,
  decision: { status: 'approved' | 'refused'; by: string; note: string | null },
): Promise<boolean> {
  const count = await db('moderation_cases').where({ id, status: 'open' }).update({
    status: decision.status,
    decided_by: decision.by,
    decided_at: db.fn.now(),
    decision_note: decision.note,
  });
  return count === 1;
}
