import type { Knex } from 'knex';
import { eventText } from '../domain/timeline.ts';
import { requestContacts, CONTACT_ROLES } from '../forms/steps/contacts.ts';
import {
  authorizationMembers,
  authorizationsOfUser,
  findAuthorizationForUser,
  hasAuthorization,
  type Authorization,
} from '../repositories/authorizations.ts';
import { openRenewalOf } from '../repositories/authorization-renewals.ts';
import { scopeLabels } from '../repositories/catalogue.ts';
import { requestTimeline } from '../repositories/instruction-detail.ts';
import {
  findRequestForMember,
  insertRenewal,
  recordRequestEvent,
  type AccessRequest,
} from '../repositories/requests.ts';
import { membershipStatus } from '../repositories/organisations.ts';
import type { User } from '../repositories/users.ts';
import type { StepRules } from './step-rules.ts';
import type { AttachmentService } from './attachments.ts';
import { attachmentView } from '../forms/attachments.ts';
import type { Attachment } from '../repositories/attachments.ts';

export const AUTHORIZATION_STATUS_LABELS = {
  active: { text: 'Active', type: 'success' },
  superseded: { text: 'Remplacée', type: 'info' },
  revoked: { text: 'Révoquée', type: 'error' },
} as const;

const ROLE_TITLES: Record<string, string> = {
  applicant: 'Demandeur ou demandeuse',
  ...Object.fromEntries(CONTACT_ROLES.map((r) => [r.key, r.title])),
};

/** The frozen request, as the summary's answers partial reads a request. */
function asRequest(a: Authorization): AccessRequest {
  return {
    id: a.requestId,
    organisationId: a.organisationId,
    organisationName: a.organisationName,
    useCaseId: a.useCaseId,
    useCaseLabel: a.useCaseLabel,
    status: 'validated',
    version: 0,
    answers: a.answers,
    title: a.title,
    updatedAt: a.validatedAt,
    updatedByName: null,
  };
}

/** The authorizations of the user's organisations, and the ones they were given as a contact: the dashboard. */
export function authorizationService(db: Knex, stepRules: StepRules, attachments: AttachmentService) {
  async function withLabels(list: Authorization[]) {
    const labels = await scopeLabels(db, [...new Set(list.flatMap((a) => a.scopes))]);
    const members = await authorizationMembers(
      db,
      list.map((a) => a.id),
    );
    const renewals = await Promise.all(list.map((a) => openRenewalOf(db, a.id)));
    return list.map((a, i) => ({
      ...a,
      /** The open request that renews it, if any. */
      renewalRequestId: renewals[i],
      scopeNames: a.scopes.map((id) => labels.get(id) ?? id),
      contacts: requestContacts(a.answers).map((c) => ({ ...c, title: ROLE_TITLES[c.role] ?? c.role })),
      members: members
        .filter((m) => m.authorizationId === a.id)
        .map((m) => ({ ...m, titles: m.roles.map((r) => ROLE_TITLES[r] ?? r) })),
    }));
  }

  return {
    hasAny: (userId: string) => hasAuthorization(db, userId),

    async list(user: User) {
      return withLabels(await authorizationsOfUser(db, user.id));
    },

    async find(user: User, id: string) {
      const found = await findAuthorizationForUser(db, id, user.id);
      return found ? (await withLabels([found]))[0] : undefined;
    },

    /**
     * Renewal before it expires: a new draft prefilled with the authorization's accepted answers, which names it; the
     * existing tokens keep working while it is instructed. An open renewal is reused rather than made twice. Only a
     * member of the organisation asks (a contact from elsewhere sees the authorization, not its requests).
     */
    async renew(
      user: User,
      id: string,
    ): Promise<
      { kind: 'draft'; requestId: string } | { kind: 'not_found' } | { kind: 'closed' } | { kind: 'not_member' }
    > {
      const authorization = await findAuthorizationForUser(db, id, user.id);
      if (!authorization) return { kind: 'not_found' };
      if (authorization.status !== 'active') return { kind: 'closed' };
      if ((await membershipStatus(db, user.id, authorization.organisationId)) !== 'active')
        return { kind: 'not_member' };
      return db.transaction(async (trx) => {
        const open = await openRenewalOf(trx, authorization.id);
        if (open) return { kind: 'draft', requestId: open };
        const requestId = await insertRenewal(trx, authorization, user.id);
        await recordRequestEvent(trx, {
          requestId,
          userId: user.id,
          kind: 'created',
          version: 1,
          details: { renews: authorization.id },
        });
        return { kind: 'draft', requestId };
      });
    },

    /** The request's attachments that were frozen with the authorization (same id and content). */
    async documents(authorization: Authorization): Promise<Attachment[]> {
      const frozen = new Map(authorization.documents.map((d) => [String(d.id), d.sha256]));
      return (await attachments.list(authorization.requestId)).filter((f) => frozen.get(String(f.id)) === f.sha256);
    },

    /** One authorization's page: the answers as accepted, its documents, the request's history. */
    async page(user: User, id: string) {
      const authorization = await this.find(user, id);
      if (!authorization) return undefined;
      const [choiceLabels, timeline, request, files] = await Promise.all([
        stepRules.allChoiceLabels(asRequest(authorization)),
        requestTimeline(db, authorization.requestId),
        findRequestForMember(db, authorization.requestId, user.id),
        this.documents(authorization),
      ]);
      const base = `/tableau-de-bord/habilitations/${authorization.id}`;
      return {
        authorization,
        documents: files.map((f) => attachmentView(authorization.requestId, f, base)),
        choiceLabels,
        timeline: timeline.map((e) => ({ ...e, text: eventText(e.kind, e.details), reason: e.details.reason })),
        /** The request's own page, for members of its organisation (a contact from elsewhere sees this page only). */
        requestHref: request ? `/demandes/${request.id}/recapitulatif` : undefined,
      };
    },
  };
}

export type AuthorizationService = ReturnType<typeof authorizationService>;
