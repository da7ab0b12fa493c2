import type { Knex } from 'knex';
import { listQuery, PAGE_SIZE, type ListFilters, type ListForm } from '../domain/instruction-list.ts';
import { recordAudit } from '../repositories/audit.ts';
import { findAuthorizationById, findAuthorizationForUser } from '../repositories/authorizations.ts';
import {
  authorizationsOfSiret,
  findLegacyDossier,
  findLegacyDossierForUser,
  legacyDossiersOfAuthorization,
  legacyDossiersOfRequest,
  legacyDossiersOfUser,
  setLegacyLink,
  visibleLegacyNumbers,
  type LegacyDossier,
} from '../repositories/legacy-dossiers.ts';
import { legacyListCounts, legacyListPage, type LegacyListRow } from '../repositories/legacy-instruction.ts';
import type { User } from '../repositories/users.ts';

export type LegacyListing = {
  rows: LegacyListRow[];
  counts: Record<string, number>;
  next?: string;
  first?: string;
};

export type LinkOutcome = { kind: 'linked' | 'unlinked' | 'not_found' } | { kind: 'invalid'; message: string };

/**
 * Requests made on démarches simplifiées before 27/08/2019, read-only: their holders (by organisation or email) and
 * instruction read them; an instructor links one to the authorization that replaced it (audited).
 */
export function legacyDossierService(db: Knex) {
  /** The link (or its removal, with null) and its audit entry, together. */
  const relink = (actor: User, dossier: LegacyDossier, authorizationId: string | null) =>
    db.transaction(async (trx) => {
      await setLegacyLink(trx, String(dossier.number), authorizationId, actor.id);
      await recordAudit(trx, {
        actorId: actor.id,
        action: authorizationId ? 'legacy_dossier.linked' : 'legacy_dossier.unlinked',
        subjectType: 'legacy_dossier',
        subjectId: String(dossier.number),
        details: { authorizationId, previous: dossier.authorizationId },
      });
    });

  return {
    ofUser: (user: User) => legacyDossiersOfUser(db, user),

    /** The dossier and the authorization that replaced it, when the user may see that one too. */
    async forUser(user: User, number: string) {
      const dossier = await findLegacyDossierForUser(db, number, user);
      if (!dossier) return undefined;
      const replacedBy = dossier.authorizationId
        ? await findAuthorizationForUser(db, dossier.authorizationId, user.id)
        : undefined;
      return { dossier, replacedBy, replacedByVisible: replacedBy !== undefined };
    },

    /** For instruction: the dossier, its linked authorization and the ones of its SIRET to choose from. */
    async forInstruction(number: string) {
      const dossier = await findLegacyDossier(db, number);
      if (!dossier) return undefined;
      const replacedBy = dossier.authorizationId ? await findAuthorizationById(db, dossier.authorizationId) : undefined;
      const candidates = dossier.siret ? await authorizationsOfSiret(db, dossier.siret) : [];
      return { dossier, replacedBy, candidates };
    },

    /** The dossiers an authorization replaced (shown on the authorization's pages). */
    replacedBy: (authorizationId: string): Promise<LegacyDossier[]> =>
      legacyDossiersOfAuthorization(db, authorizationId),
    /** The same, from the request that became the authorization (instruction's request page). */
    replacedByRequest: (requestId: string): Promise<LegacyDossier[]> => legacyDossiersOfRequest(db, requestId),

    /** The numbers among `dossiers` the user may open (the others are named without a link). */
    visibleNumbers: (user: User, dossiers: LegacyDossier[]): Promise<string[]> =>
      visibleLegacyNumbers(
        db,
        user,
        dossiers.map((d) => String(d.number)),
      ),

    async link(actor: User, number: string, authorizationText: string): Promise<LinkOutcome> {
      const dossier = await findLegacyDossier(db, number);
      if (!dossier) return { kind: 'not_found' };
      const id = authorizationText.replace(/\s|n°|N°/g, '');
      if (!id)
        return { kind: 'invalid', message: 'Numéro de l’habilitation\u00a0: indiquez le numéro de l’habilitation' };
      const authorization = /^\d{1,18}$/.test(id) ? await findAuthorizationById(db, id) : undefined;
      if (!authorization)
        return {
          kind: 'invalid',
          message: `Numéro de l’habilitation\u00a0: aucune habilitation ne porte le numéro «\u202f${authorizationText.trim().slice(0, 30)}\u202f»`,
        };
      await relink(actor, dossier, authorization.id);
      return { kind: 'linked' };
    },

    async unlink(actor: User, number: string): Promise<LinkOutcome> {
      const dossier = await findLegacyDossier(db, number);
      if (!dossier) return { kind: 'not_found' };
      await relink(actor, dossier, null);
      return { kind: 'unlinked' };
    },
  };
}

/** The instructors' list when its origin is démarches simplifiées: one page, the counts, the page links. */
export async function legacyListing(db: Knex, filters: ListFilters, form: ListForm): Promise<LegacyListing> {
  const legacyFilters = {
    status: filters.status,
    search: filters.search,
    from: filters.from,
    to: filters.to,
    before: filters.beforeNumber,
  };
  const [found, counts] = await Promise.all([
    legacyListPage(db, legacyFilters, PAGE_SIZE),
    legacyListCounts(db, { ...legacyFilters, status: undefined, before: undefined }),
  ]);
  const rows = found.slice(0, PAGE_SIZE);
  const last = rows.at(-1);
  return {
    rows,
    counts,
    next: found.length > PAGE_SIZE && last ? listQuery(form, { apres: String(last.number) }) : undefined,
    first: filters.beforeNumber ? listQuery(form) : undefined,
  };
}
