import type { Knex } from 'knex';
import { normaliseEmail } from '../domain/email.ts';
import type { DsState, LegacyField, LegacyStatus } from '../domain/legacy-dossiers.ts';

export type LegacyDossier = {
  number: string;
  dsState: DsState;
  status: LegacyStatus;
  email: string | null;
  siret: string | null;
  /** The organisation of the SIRET, when SignUp knows it (its organisations, else the directory). */
  organisationName: string | null;
  depositedAt: Date | null;
  instructionStartedAt: Date | null;
  processedAt: Date | null;
  lastModifiedAt: Date | null;
  motivation: string | null;
  fields: LegacyField[];
  source: 'api' | 'tableur';
  importedAt: Date;
  updatedAt: Date;
  authorizationId: string | null;
  linkedAt: Date | null;
  linkedByName: string | null;
};

const COLUMNS = [
  'd.number',
  'd.ds_state as dsState',
  'd.status',
  'd.email',
  'd.siret',
  'd.deposited_at as depositedAt',
  'd.instruction_started_at as instructionStartedAt',
  'd.processed_at as processedAt',
  'd.last_modified_at as lastModifiedAt',
  'd.motivation',
  'd.fields',
  'd.source',
  'd.imported_at as importedAt',
  'd.updated_at as updatedAt',
  'd.authorization_id as authorizationId',
  'd.linked_at as linkedAt',
];

/** Dossiers with the name of their organisation and of whoever linked them (`d`). */
function dossierRows(db: Knex): Knex.QueryBuilder {
  return db('legacy_dossiers as d')
    .leftJoin('organisations as o', 'o.siret', 'd.siret')
    .leftJoin('establishments as e', 'e.siret', 'd.siret')
    .leftJoin('users as l', 'l.id', 'd.linked_by')
    .select(COLUMNS)
    .select(db.raw('coalesce(o.name, e.name) as "organisationName"'))
    .select(db.raw(`l.given_name || ' ' || l.family_name as "linkedByName"`));
}

/** Whose dossier it is: its SIRET is one of an organisation the user is an active member of, or its email is theirs. */
function visibleTo(db: Knex, user: { id: string; email: string }) {
  return (query: Knex.QueryBuilder) =>
    query
      .whereIn(
        'd.siret',
        db('memberships as m')
          .join('organisations as mo', 'mo.id', 'm.organisation_id')
          .where({ 'm.user_id': user.id, 'm.status': 'active' })
          .select('mo.siret'),
      )
      .orWhere('d.email', normaliseEmail(user.email));
}

const NUMBER = /^\d{1,15}$/;

export async function legacyDossiersOfUser(db: Knex, user: { id: string; email: string }): Promise<LegacyDossier[]> {
  return (await dossierRows(db)
    .where(visibleTo(db, user))
    .orderByRaw('d.deposited_at DESC NULLS LAST, d.number DESC')) as LegacyDossier[];
}

/** The numbers among `numbers` of dossiers the user may see. */
export async function visibleLegacyNumbers(
  db: Knex,
  user: { id: string; email: string },
  numbers: string[],
): Promise<string[]> {
  if (!numbers.length) return [];
  const rows = (await db('legacy_dossiers as d')
    .whereIn('d.number', numbers)
    .where(visibleTo(db, user))
    .select('d.number')) as { number: string }[];
  return rows.map((r) => String(r.number));
}

export async function findLegacyDossierForUser(
  db: Knex,
  number: string,
  user: { id: string; email: string },
): Promise<LegacyDossier | undefined> {
  if (!NUMBER.test(number)) return undefined;
  return (await dossierRows(db).where('d.number', number).where(visibleTo(db, user)).first()) as
    LegacyDossier | undefined;
}

export async function findLegacyDossier(db: Knex, number: string): Promise<LegacyDossier | undefined> {
  if (!NUMBER.test(number)) return undefined;
  return (await dossierRows(db).where('d.number', number).first()) as LegacyDossier | undefined;
}

/** The dossiers linked to an authorization (the ones it replaced). */
export async function legacyDossiersOfAuthorization(db: Knex, authorizationId: string): Promise<LegacyDossier[]> {
  return (await dossierRows(db).where('d.authorization_id', authorizationId).orderBy('d.number')) as LegacyDossier[];
}

/** The dossiers linked to the authorization a request became, if it was validated. */
export async function legacyDossiersOfRequest(db: Knex, requestId: string): Promise<LegacyDossier[]> {
  return (await dossierRows(db)
    .join('authorizations as a', 'a.id', 'd.authorization_id')
    .where('a.request_id', requestId)
    .orderBy('d.number')) as LegacyDossier[];
}

/** Links a dossier to an authorization (or unlinks it, with null); false when the dossier does not exist. */
export async function setLegacyLink(
  db: Knex,
  number: string,
  authorizationId: string | null,
  userId: string,
): Promise<boolean> {
  const changed = await db('legacy_dossiers')
    .where({ number })
    .update({
      authorization_id: authorizationId,
      linked_by: authorizationId ? userId : null,
      linked_at: authorizationId ? db.fn.now() : null,
    });
  return changed > 0;
}

export type LinkCandidate = { id: string; title: string; status: string; validatedAt: Date; requestId: string };

/** The authorizations of the organisation of a SIRET: what a dossier of that SIRET may have been replaced by. */
export async function authorizationsOfSiret(db: Knex, siret: string): Promise<LinkCandidate[]> {
  return (await db('authorizations as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .where('o.siret', siret)
    .orderBy('a.validated_at', 'desc')
    .select(
      'a.id',
      'a.title',
      'a.status',
      'a.validated_at as validatedAt',
      'a.request_id as requestId',
    )) as LinkCandidate[];
}
