import type { Knex } from 'knex';

export type Organisation = { id: string; siret: string; name: string; domain: string | null };
export type MembershipStatus = 'active' | 'pending' | 'refused';
export type UserOrganisation = Organisation & { status: MembershipStatus };

const orgColumns = ['o.id', 'o.siret', 'o.name', 'o.domain'];

export async function findOrganisationBySiret(db: Knex, siret: string): Promise<Organisation | undefined> {
  return db('organisations as o').where('o.siret', siret).first(orgColumns);
}

export async function insertOrganisation(
  db: Knex,
  org: { siret: string; name: string; domain: string | null },
): Promise<Organisation> {
  const [row] = (await db('organisations')
    .insert(org)
    .onConflict('siret')
    .merge(['name'])
    .returning(['id', 'siret', 'name', 'domain'])) as Organisation[];
  return row as Organisation;
}

export async function activeMembers(
  db: Knex,
  organisationId: string,
): Promise<{ id: string; email: string; givenName: string }[]> {
  return db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where({ 'm.organisation_id': organisationId, 'm.status': 'active' })
    .orderBy('u.id')
    .select('u.id', 'u.email', 'u.given_name as givenName');
}

export async function membershipStatus(
  db: Knex,
  userId: string,
  organisationId: string,
): Promise<MembershipStatus | null> {
  const row = (await db('memberships').where({ user_id: userId, organisation_id: organisationId }).first('status')) as
    { status: MembershipStatus } | undefined;
  return row?.status ?? null;
}

export async function setMembership(
  db: Knex,
  userId: string,
  organisationId: string,
  status: MembershipStatus,
): Promise<void> {
  await db('memberships')
    .insert({
      user_id: userId,
      organisation_id: organisationId,
      status,
      decided_at: status === 'pending' ? null : db.fn.now(),
    })
    .onConflict(['user_id', 'organisation_id'])
    .merge({ status, decided_at: status === 'pending' ? null : db.fn.now() });
}

export async function organisationsOfUser(db: Knex, userId: string): Promise<UserOrganisation[]> {
  return db('memberships as m')
    .join('organisations as o', 'o.id', 'm.organisation_id')
    .where('m.user_id', userId)
    .orderBy('o.name')
    .select([...orgColumns, 'm.status']);
}

/** The organisation, only if the user is an active member of it (otherwise undefined: callers answer 404). */
export async function activeOrganisationOfUser(
  db: Knex,
  userId: string,
  organisationId: string,
): Promise<Organisation | undefined> {
  if (!/^\d+$/.test(organisationId)) return undefined;
  return db('memberships as m')
    .join('organisations as o', 'o.id', 'm.organisation_id')
    .where({ 'm.user_id': userId, 'm.organisation_id': organisationId, 'm.status': 'active' })
    .first(orgColumns);
}
