import { randomBytes, randomUUID } from 'node:crypto';
import { refreshSearchText } from '../../src/repositories/instruction.ts';
import type { Db } from '../../src/db/knex.ts';
import { newApiToken } from '../../src/domain/api-tokens.ts';
import { insertApiToken } from '../../src/repositories/api-tokens.ts';
import {
  addAuthorizationMember,
  documentsToFreeze,
  endAuthorization,
  insertAuthorization,
} from '../../src/repositories/authorizations.ts';
import { hashPassword } from '../../src/domain/passwords.ts';
import { endpointSeeds } from '../../src/db/seed.ts';
import { recordChecks, saveIncident, upsertEndpoints } from '../../src/repositories/endpoint-status.ts';
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

/** Every step of a « marchés publics » request answered, as « Soumettre » accepts it (contacts at @clamart.fr). */
export const COMPLETE_ANSWERS = {
  demarche: {
    title: 'Aides au commerce de proximité',
    description: 'Instruction des demandes d’aide par le service économique.',
    goLiveDate: '2027-03-01',
    volume: 'faible',
  },
  donnees: { scopes: ['attestation_fiscale_dgfip'] },
  'cadre-juridique': {
    nature: 'decret',
    reference: 'Article R2143-13 du Code de la commande publique',
    url: 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037730589',
  },
  'donnees-personnelles': { recipients: 'Service des marchés', retentionMonths: 36, retentionJustification: '' },
  contacts: Object.fromEntries(
    ['dpo', 'controller', 'business', 'technical'].flatMap((r) => [
      [`${r}GivenName`, 'Léa'],
      [`${r}FamilyName`, 'Petit'],
      [`${r}Email`, `${r}.lea@clamart.fr`],
      [`${r}Phone`, '+33123456789'],
      [`${r}JobTitle`, 'Agente'],
    ]),
  ),
  cgu: { accept: 'oui', dpoInformed: 'oui' },
};

/**
 * A request as its applicant left it after « Soumettre »: submitted at `submittedAt`, with its title, and searchable
 * by instructors (what the transition use case does on submission).
 */
export async function createSubmittedRequest(
  db: Db,
  userId: string,
  siret: string,
  input: { title: string; submittedAt?: Date; useCaseId?: string; status?: string; answers?: object },
): Promise<string> {
  const id = await createRequest(db, userId, siret, input.useCaseId);
  const at = input.submittedAt ?? new Date();
  await db('access_requests')
    .where({ id })
    .update({
      status: input.status ?? 'submitted',
      title: input.title,
      submitted_at: at,
      updated_at: at,
      ...(input.answers ? { answers: JSON.stringify(input.answers) } : {}),
    });
  await refreshSearchText(db, id);
  return id;
}

/** A submission as the transition use case records it (its event row keeps the answers): what « what changed » reads. */
export async function recordSubmission(
  db: Db,
  requestId: string,
  userId: string,
  answers: object,
  from = 'draft',
): Promise<void> {
  await db('request_events').insert({
    request_id: requestId,
    user_id: userId,
    kind: 'submitted',
    version: 1,
    details: JSON.stringify({ from, answers }),
  });
}

/**
 * The requests the page registry's examples name (src/pages/registry.ts), on a fresh database: n° 1 a draft, n° 2
 * submitted twice with a changed title (instruction shows what changed), n° 3 to 7 sent back for changes, validated,
 * refused, revoked and archived (left six months without the changes asked).
 */
export async function createRegistryRequests(db: Db, userId: string, siret: string): Promise<void> {
  await createRequest(db, userId, siret);
  const answers = {
    ...COMPLETE_ANSWERS,
    demarche: { ...COMPLETE_ANSWERS.demarche, title: 'Marchés publics de Clamart' },
  };
  const second = await createSubmittedRequest(db, userId, siret, { title: 'Marchés publics de Clamart', answers });
  await recordSubmission(db, second, userId, COMPLETE_ANSWERS);
  await recordSubmission(db, second, userId, answers, 'changes_requested');
  const made: Record<string, string> = {};
  for (const status of ['changes_requested', 'validated', 'refused', 'revoked', 'archived'])
    made[status] = await createSubmittedRequest(db, userId, siret, { title: `Demande ${status}`, status, answers });
  await createDecisionTemplate(db);
  // Authorization n° 1 (of the validated request) with token n° 1, n° 2 (of the revoked one) ended.
  const active = await createAuthorization(db, made.validated!, userId);
  await createAuthorization(db, made.revoked!, userId, 'revoked');
  await createApiToken(db, active, userId, 'Production – portail des marchés');
  await createEndpointStatus(db, userId);
  await createWebhook(db, userId);
}

/** A webhook with a delivery made at the second attempt and one given up (the admin pages' states). */
export async function createWebhook(db: Db, adminId: string): Promise<string> {
  const [webhook] = (await db('webhooks')
    .insert({
      label: 'Passerelle API Entreprise',
      url: 'https://passerelle.entreprise.api.gouv.fr/webhooks/signup',
      secret_sealed: randomBytes(60),
      events: ['demande.validee', 'jeton.revoque'],
      created_by: adminId,
    })
    .returning('id')) as { id: string }[];
  for (const [status, attempts] of [
    ['delivered', [503, 200]],
    ['failed', [null, 500]],
  ] as const) {
    const [delivery] = (await db('webhook_deliveries')
      .insert({
        webhook_id: webhook!.id,
        event_id: randomUUID(),
        event: 'demande.validee',
        payload: JSON.stringify({ type: 'demande.validee', data: { demande: '4' } }),
        status,
        attempts: attempts.length,
        delivered_at: status === 'delivered' ? db.fn.now() : null,
      })
      .returning('id')) as { id: string }[];
    await db('webhook_attempts').insert(
      attempts.map((code) => ({
        delivery_id: delivery!.id,
        http_status: code,
        duration_ms: 80,
        error: code === null ? 'connexion impossible' : null,
      })),
    );
  }
  return webhook!.id;
}

/**
 * The reference data's endpoints with a few probes (the Banque de France slow, the MSA down, the others answering)
 * and an incident in progress on the Banque de France: what /statut and the dashboard show.
 */
export async function createEndpointStatus(db: Db, adminId: string): Promise<void> {
  const seeds = endpointSeeds();
  await upsertEndpoints(
    db,
    seeds.map((e) => ({ ...e, url: `http://127.0.0.1:9${e.path}` })),
  );
  const now = Date.now();
  const state = (id: string, minutesAgo: number) =>
    id === 'msa-cotisations' ? 'down' : id === 'bdf-bilans' && minutesAgo < 30 ? 'slow' : 'up';
  await recordChecks(
    db,
    [1, 20, 60, 600].flatMap((minutesAgo) =>
      seeds.map((e) => ({
        endpointId: e.id,
        checkedAt: new Date(now - minutesAgo * 60_000),
        state: state(e.id, minutesAgo) as 'up' | 'slow' | 'down',
        httpStatus: state(e.id, minutesAgo) === 'down' ? 503 : 200,
        durationMs: state(e.id, minutesAgo) === 'slow' ? 2400 : 120,
        detail: null,
      })),
    ),
  );
  await saveIncident(
    db,
    {
      title: 'Lenteurs des bilans de la Banque de France',
      message: 'Le fournisseur de données répond lentement. Ses équipes sont mobilisées.',
      startsAt: new Date(now - 45 * 60_000),
      endsAt: null,
      endpointIds: ['bdf-bilans'],
    },
    adminId,
  );
}

/** An authorization as « Valider » freezes it, its applicant a member (the contacts' invitations are tested apart). */
export async function createAuthorization(
  db: Db,
  requestId: string,
  userId: string,
  status: 'active' | 'revoked' = 'active',
): Promise<string> {
  const request = (await db('access_requests').where({ id: requestId }).first()) as {
    organisation_id: string;
    use_case_id: string;
    title: string;
    answers: Record<string, Record<string, unknown>>;
  };
  const id = await insertAuthorization(db, {
    requestId,
    organisationId: request.organisation_id,
    useCaseId: request.use_case_id,
    title: request.title ?? `Demande n° ${requestId}`,
    scopes: (request.answers.donnees?.scopes as string[] | undefined) ?? [],
    answers: request.answers,
    documents: await documentsToFreeze(db, requestId),
    validatedBy: null,
    expiresAt: new Date(Date.now() + 3 * 365 * 86_400_000),
  });
  await addAuthorizationMember(db, id!, userId, ['applicant']);
  if (status !== 'active') await endAuthorization(db, requestId, status);
  return id!;
}

/** A token of an authorization; returns the token itself (shown once in the service). */
export async function createApiToken(db: Db, authorizationId: string, userId: string, name: string): Promise<string> {
  const { token, hash, hint } = newApiToken();
  await insertApiToken(db, {
    authorizationId,
    name,
    hash,
    hint,
    createdBy: userId,
    expiresAt: new Date(Date.now() + 540 * 86_400_000),
  });
  return token;
}

/** A refusal's template, as an admin would write it on /admin/modeles (the first one of a fresh database is n° 1). */
export async function createDecisionTemplate(db: Db): Promise<string> {
  const [row] = (await db('decision_templates')
    .insert({
      kind: 'refuser',
      title: 'Cadre juridique manquant',
      body: 'La demande n° {numero} « {titre} » ne cite aucun texte qui autorise {organisation} à recevoir ces données.',
    })
    .returning('id')) as { id: string }[];
  return row!.id;
}
