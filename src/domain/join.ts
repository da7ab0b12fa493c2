import { emailDomain, isFreeMailDomain } from './email.ts';

/**
 * Joining an organisation by SIRET: the three cases of the service's rules, exactly.
 * 1. No account is attached to the SIRET: the organisation is created and the user is its first member; their
 *    email domain becomes the organisation's domain, unless it is a free mail provider (then moderation).
 * 2. Members exist and one of them (or the organisation's verified domain) has the user's domain: the user joins
 *    and every member is notified.
 * 3. Members exist with other domains only: the join is suspended and support decides.
 * A free mail domain never proves membership.
 */
export type JoinSituation = {
  userEmail: string;
  organisationExists: boolean;
  organisationDomain: string | null;
  activeMemberEmails: string[];
  userMembership: 'active' | 'pending' | 'refused' | null;
};

export type JoinDecision =
  | { kind: 'create'; domain: string | null; moderation: 'free_mail' | null }
  | { kind: 'join' }
  | { kind: 'suspended'; reason: 'other_domain' | 'free_mail' }
  | { kind: 'already_member' }
  | { kind: 'already_pending' };

export function decideJoin(situation: JoinSituation): JoinDecision {
  if (situation.userMembership === 'active') return { kind: 'already_member' };
  if (situation.userMembership === 'pending') return { kind: 'already_pending' };
  const domain = emailDomain(situation.userEmail);
  const freeMail = isFreeMailDomain(domain);
  const hasMembers = situation.activeMemberEmails.length > 0;
  if (!hasMembers) {
    return freeMail
      ? { kind: 'create', domain: null, moderation: 'free_mail' }
      : { kind: 'create', domain, moderation: null };
  }
  if (freeMail) return { kind: 'suspended', reason: 'free_mail' };
  const knownDomains = new Set(situation.activeMemberEmails.map(emailDomain).filter((d) => !isFreeMailDomain(d)));
  if (situation.organisationDomain) knownDomains.add(situation.organisationDomain);
  return knownDomains.has(domain) ? { kind: 'join' } : { kind: 'suspended', reason: 'other_domain' };
}
