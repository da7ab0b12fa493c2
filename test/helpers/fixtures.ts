import { refreshSearchText } from '../../src/repositories/instruction.ts';
import type { Db } from '../../src/db/knex.ts';
import { hashPassword } from '../../src/domain/passwords.ts';
import { isStaff } from '../../src/domain/staff.ts';
import { sealTotpSecret } from '../../src/services/mfa.ts';
import { FIXTURE_TOTP_SECRET } from './second-factor.ts';

/** The commune of Clamart's town hall, in the SIRENE sample: the organisation of most fixture members. */
export const CLAMART = '21920023500014';

export const FIXTURE_PASSWORD = 'un mot de passe de test assez long';
/** The SESSION_SECRET of test apps (test/helpers/app.ts): the staff fixtures' TOTP secret is sealed under it. */
export const TEST_SESSION_SECRET = 'test-session-secret-with-at-least-32-characters';

export type FixtureAccount = { id: string; email: string; password: string };

/**
 * An activated account, created directly in the database (the sign-up flow has its own tests), optionally member
 * of the organisation of `siret` (created from the directory when missing) with the given status. Staff accounts
 * (a role among instructor, reporter, admin) have the second factor FIXTURE_TOTP_SECRET enrolled, unless
 * `totp: false` (then they are asked to enrol at their next sign-in).
 */
export async function createAccount(
  db: Db,
  options: {
    email: string;
    givenName?: string;
    familyName?: string;
    roles?: string[];
    siret?: string;
    membership?: 'active' | 'pending' | 'refused';
    activated?: boolean;
    totp?: boolean;
  },
): Promise<FixtureAccount> {
  const [row] = (await db('users')
    .insert({
      email: options.email,
      given_name: options.givenName ?? 'Marie',
      family_name: options.familyName ?? 'Durand',
      password_hash: await hashPassword(FIXTURE_PASSWORD),
      roles: options.roles ?? [],
      activated_at: options.activated === false ? null : db.fn.now(),
    })
    .returning('id')) as { id: string }[];
  const id = (row as { id: string }).id;
  if (isStaff({ roles: options.roles ?? [] }) && options.totp !== false) {
    await db('users')
      .where({ id })
      .update({
        totp_secret: sealTotpSecret(TEST_SESSION_SECRET, id, FIXTURE_TOTP_SECRET),
        totp_enabled_at: db.fn.now(),
      });
  }
  if (options.siret) {
    const organisationId = await organisationFor(db, options.siret);
    await db('memberships').insert({
      user_id: id,
      organisation_id: organisationId,
      status: options.membership ?? 'active',
    });
  }
  return { id, email: options.email, password: FIXTURE_PASSWORD };
}

export async function organisationFor(db: Db, siret: string, domain: string | null = null): Promise<string> {
  const existing = (await db('organisations').where({ siret }).first('id')) as { id: string } | undefined;
  if (existing) return existing.id;
  const establishment = (await db('establishments').where({ siret }).first('name')) as { name: string } | undefined;
  const [row] = (await db('organisations')
    .insert({ siret, name: establishment?.name ?? `Organisation ${siret}`, domain })
    .returning('id')) as { id: string }[];
  return (row as { id: string }).id;
}

/** A join waiting for support, as the moderation queue shows it. */
export async function createModerationCase(
  db: Db,
  userId: string,
  siret: string,
  kind = 'other_domain',
): Promise<string> {
  const organisationId = await organisationFor(db, siret);
  await db('memberships')
    .insert({ user_id: userId, organisation_id: organisationId, status: 'pending' })
    .onConflict(['user_id', 'organisation_id'])
    .merge();
  const [row] = (await db('moderation_cases')
    .insert({
      kind,
      user_id: userId,
      organisation_id: organisationId,
      justification: 'Agent de la commune depuis 2019',
    })
    .returning('id')) as { id: string }[];
  return (row as { id: string }).id;
}

/** A draft request of the organisation of `siret`, created by `userId` (the first one of a fresh database is n° 1). */
export async function createRequest(
  db: Db,
  userId: string,
  siret: string,
  useCaseId = 'marches_publics',
): Promise<string> {
  const organisationId = await organisationFor(db, siret);
  const [row] = (await db('access_requests')
    .insert({ organisation_id: organisationId, created_by: userId, updated_by: userId, use_case_id: useCaseId })
    .returning('id')) as { id: string }[];
  return (row as { id: string }).id;
}

/**
 * A request as its applicant left it after « Soumettre »: submitted at `submittedAt`, with its title, and searchable
 * by instructors (what the transition use case does on submission).
 */
export async function createSubmittedRequest(
  db: Db,
  userId: string,
  siret: string,
  input: { title: string; submittedAt?: Date; useCaseId?: string; status?: string },
): Promise<string> {
  const id = await createRequest(db, userId, siret, input.useCaseId);
  const at = input.submittedAt ?? new Date();
  await db('access_requests')
    .where({ id })
    .update({ status: input.status ?? 'submitted', title: input.title, submitted_at: at, updated_at: at });
  await refreshSearchText(db, id);
  return id;
}
