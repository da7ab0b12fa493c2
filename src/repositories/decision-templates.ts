import type { Knex } from 'knex';
import type { DecisionKind } from '../domain/decisions.ts';

export type DecisionTemplate = { id: string; kind: DecisionKind; title: string; body: string; updatedAt: Date };

const COLUMNS = ['id', 'kind', 'title', 'body', 'updated_at as updatedAt'];

export async function listTemplates(db: Knex, kind?: DecisionKind): Promise<DecisionTemplate[]> {
  const query = db('decision_templates').orderBy(['kind', 'title']).select(COLUMNS);
  if (kind) query.where({ kind });
  return (await query) as DecisionTemplate[];
}

export async function findTemplate(db: Knex, id: string): Promise<DecisionTemplate | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await db('decision_templates').where({ id }).first(COLUMNS)) as DecisionTemplate | undefined;
}

export async function insertTemplate(
  db: Knex,
  input: { kind: DecisionKind; title: string; body: string },
): Promise<string> {
  const [row] = (await db('decision_templates').insert(input).returning('id')) as { id: string }[];
  return row!.id;
}

export async function updateTemplate(
  db: Knex,
  id: string,
  input: { kind: DecisionKind; title: string; body: string },
): Promise<boolean> {
  return (
    (await db('decision_templates')
      .where({ id })
      .update({ ...input, updated_at: db.fn.now() })) > 0
  );
}

export async function deleteTemplate(db: Knex, id: string): Promise<DecisionTemplate | undefined> {
  const [row] = (await db('decision_templates').where({ id }).delete().returning(COLUMNS)) as DecisionTemplate[];
  return row;
}
