import type { Knex } from 'knex';
import { eligibilityOf } from '../domain/eligibility.ts';
import { decideJoin, type JoinDecision } from '../domain/join.ts';
import { findEstablishment } from '../repositories/directory.ts';
import { openCase, type ModerationKind } from '../repositories/moderation.ts';
import {
  activeMembers,
  findOrganisationBySiret,
  insertOrganisation,
  membershipStatus,
  organisationsOfUser,
  setMembership,
  type Organisation,
} from '../repositories/organisations.ts';
import type { User } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';

export type JoinOutcome =
  | { kind: 'joined'; organisation: Organisation; created: boolean }
  | { kind: 'pending'; organisation: Organisation; reason: ModerationKind }
  | { kind: 'already_member' | 'already_pending'; organisation: Organisation }
  | { kind: 'refused'; reason: 'unknown_siret' | 'closed' | 'not_eligible' };

type Joiner = Pick<User, 'id' | 'email' | 'givenName' | 'familyName'>;

/**
 * Joining an organisation by SIRET, in the caller's transaction: directory lookup, eligibility, the three cases of
 * `decideJoin`, moderation cases and the emails they cause.
 */
export function organisationService(db: Knex, mail: Mailer) {
  async function pending(
    trx: Knex,
    user: Joiner,
    organisation: Organisation,
    reason: ModerationKind,
    justification: string | null,
  ): Promise<JoinOutcome> {
    await setMembership(trx, user.id, organisation.id, 'pending');
    await openCase(trx, { kind: reason, userId: user.id, organisationId: organisation.id, justification });
    await mail(trx, 'adhesion-en-attente', user.email, { user, organisation, reason });
    return { kind: 'pending', organisation, reason };
  }

  async function apply(
    trx: Knex,
    user: Joiner,
    organisation: Organisation,
    decision: JoinDecision,
    justification: string | null,
  ): Promise<JoinOutcome> {
    switch (decision.kind) {
      case 'already_member':
      case 'already_pending':
        return { kind: decision.kind, organisation };
      case 'create':
        if (decision.domain && !organisation.domain)
          await trx('organisations').where({ id: organisation.id }).update({ domain: decision.domain });
        if (decision.moderation) return pending(trx, user, organisation, decision.moderation, justification);
        await setMembership(trx, user.id, organisation.id, 'active');
        return { kind: 'joined', organisation, created: true };
      case 'join': {
        const members = await activeMembers(trx, organisation.id);
        await setMembership(trx, user.id, organisation.id, 'active');
        for (const member of members)
          await mail(trx, 'nouveau-membre', member.email, { member, newcomer: user, organisation });
        return { kind: 'joined', organisation, created: false };
      }
      case 'suspended':
        return pending(trx, user, organisation, decision.reason, justification);
    }
  }

  const service = {
    /** A signed-in user joins an organisation, in a transaction of its own (sign-up joins within its own). */
    joinNow: (user: Joiner, siret: string, missionJustification: string | null): Promise<JoinOutcome> =>
      db.transaction((trx) => service.join(trx, user, siret, missionJustification)),

    async join(trx: Knex, user: Joiner, siret: string, missionJustification: string | null): Promise<JoinOutcome> {
      const establishment = await findEstablishment(trx, siret);
      if (!establishment) return { kind: 'refused', reason: 'unknown_siret' };
      const eligibility = eligibilityOf(establishment);
      if (!eligibility.eligible && eligibility.reason === 'closed') return { kind: 'refused', reason: 'closed' };
      if (!eligibility.eligible && !missionJustification) return { kind: 'refused', reason: 'not_eligible' };
      const organisation =
        (await findOrganisationBySiret(trx, siret)) ??
        (await insertOrganisation(trx, { siret, name: establishment.name, domain: null }));
      if (!eligibility.eligible) {
        const status = await membershipStatus(trx, user.id, organisation.id);
        if (status === 'active' || status === 'pending')
          return { kind: status === 'active' ? 'already_member' : 'already_pending', organisation };
        return pending(trx, user, organisation, 'public_service_mission', missionJustification);
      }
      const decision = decideJoin({
        userEmail: user.email,
        organisationExists: true,
        organisationDomain: organisation.domain,
        activeMemberEmails: (await activeMembers(trx, organisation.id)).map((m) => m.email),
        userMembership: await membershipStatus(trx, user.id, organisation.id),
      });
      return apply(trx, user, organisation, decision, missionJustification);
    },
    organisationsOf: (userId: string) => organisationsOfUser(db, userId),
  };
  return service;
}

export type OrganisationService = ReturnType<typeof organisationService>;
