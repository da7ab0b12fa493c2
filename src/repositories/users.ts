import type { Knex } from 'knex';
import { compiledQuery } from '../db/compiled-query.ts';

export type User = {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  jobTitle: string | null;
  phone: string | null;
  roles: string[];
  activatedAt: Date | null;
  sessionIdleMinutes: number | null;
  signupSiret: string | null;
  signupMissionJustification: string | null;
};

const columns = [
  'id',
  'email',
  'given_name as givenName',
  'family_name as familyName',
  'job_title as jobTitle',
  'phone',
  'roles',
  'activated_at as activatedAt',
  'session_idle_minutes as sessionIdleMinutes',
  'signup_siret as signupSiret',
  'signup_mission_justification as signupMissionJustification',
];

/** The user's columns as `User` names them, of the table known as `alias` in a query. */
export const userColumns = (alias: string) => columns.map((column) => `${alias}.${column}`);

const userById = compiledQuery<[string], User>('users-by-id', (db, id) =>
  db('users').where({ id }).select(columns).limit(1),
);

/** The user of every signed-in request. */
export async function findUserById(db: Knex, id: string): Promise<User | undefined> {
  return (await userById(db, id))[0];
}

export async function findUserByEmail(
  db: Knex,
  email: string,
): Promise<(User & { passwordHash: string | null }) | undefined> {
  return db('users')
    .whereRaw('lower(email) = lower(?)', [email])
    .first([...columns, 'password_hash as passwordHash']);
}

export async function passwordHashOf(db: Knex, id: string): Promise<string | null> {
  const row = (await db('users').where({ id }).first('password_hash')) as { password_hash: string | null } | undefined;
  return row?.password_hash ?? null;
}

export type NewUser = {
  email: string;
  givenName: string;
  familyName: string;
  passwordHash: string;
  signupSiret: string;
  signupMissionJustification: string | null;
};

/** Creates the account unless the email is taken; returns the new id, or undefined when it already existed. */
export async function insertUser(db: Knex, user: NewUser): Promise<string | undefined> {
  const rows = (await db('users')
    .insert({
      email: user.email,
      given_name: user.givenName,
      family_name: user.familyName,
      password_hash: user.passwordHash,
      signup_siret: user.signupSiret,
      signup_mission_justification: user.signupMissionJustification,
    })
    .onConflict(db.raw('(lower(email))'))
    .ignore()
    .returning('id')) as { id: string }[];
  return rows[0]?.id;
}

/**
 * An account for a contact named on an accepted request: no password until they choose one from their invitation.
 * Undefined when the address already has an account.
 */
export async function insertInvitedUser(
  db: Knex,
  user: { email: string; givenName: string; familyName: string },
): Promise<string | undefined> {
  const rows = (await db('users')
    .insert({ email: user.email, given_name: user.givenName, family_name: user.familyName })
    .onConflict(db.raw('(lower(email))'))
    .ignore()
    .returning('id')) as { id: string }[];
  return rows[0]?.id;
}

/** The invited contact chose a password and accepted the terms: the account works from now on. */
export async function completeInvitation(db: Knex, id: string, passwordHash: string): Promise<void> {
  await db('users')
    .where({ id })
    .update({
      password_hash: passwordHash,
      activated_at: db.raw('coalesce(activated_at, now())'),
      terms_accepted_at: db.fn.now(),
      updated_at: db.fn.now(),
    });
}

export async function markActivated(db: Knex, id: string): Promise<void> {
  await db('users')
    .where({ id })
    .whereNull('activated_at')
    .update({ activated_at: db.fn.now(), updated_at: db.fn.now() });
}

export async function setPasswordHash(db: Knex, id: string, passwordHash: string): Promise<void> {
  await db('users')
    .where({ id })
    .update({ password_hash: passwordHash, password_changed_at: db.fn.now(), updated_at: db.fn.now() });
}

/** Changes the address unless another account uses it (case-insensitive); false when taken. */
export async function setEmail(db: Knex, id: string, email: string): Promise<boolean> {
  const count = await db('users')
    .where({ id })
    .whereNotExists(
      db('users as other')
        .whereRaw('lower(other.email) = lower(?)', [email])
        .whereNot('other.id', id)
        .select(db.raw('1')),
    )
    .update({ email, updated_at: db.fn.now() });
  return count === 1;
}

export type ProfileUpdate = {
  givenName: string;
  familyName: string;
  jobTitle: string | null;
  phone: string | null;
  sessionIdleMinutes: number | null;
};

export async function updateProfile(db: Knex, id: string, profile: ProfileUpdate): Promise<void> {
  await db('users').where({ id }).update({
    given_name: profile.givenName,
    family_name: profile.familyName,
    job_title: profile.jobTitle,
    phone: profile.phone,
    session_idle_minutes: profile.sessionIdleMinutes,
    updated_at: db.fn.now(),
  });
}

export async function recordSignIn(db: Knex, id: string): Promise<void> {
  await db('users').where({ id }).update({ last_sign_in_at: db.fn.now() });
}

export async function setRoles(db: Knex, id: string, roles: string[]): Promise<void> {
  await db('users').where({ id }).update({ roles, updated_at: db.fn.now() });
}

export async function listUsers(db: Knex, search: string, limit = 50): Promise<User[]> {
  const query = db('users').orderBy('family_name').limit(limit).select(columns);
  if (search)
    query.whereRaw("lower(email || ' ' || given_name || ' ' || family_name) LIKE ?", [`%${search.toLowerCase()}%`]);
  return query;
}
