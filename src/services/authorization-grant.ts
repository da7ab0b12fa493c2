import type { Knex } from 'knex';
import { addMonths } from '../domain/reminders.ts';
import { newSecret } from '../domain/tokens.ts';
import { requestContacts, type ContactRole, type RequestContact } from '../forms/steps/contacts.ts';
import {
  addAuthorizationMember,
  documentsToFreeze,
  endAuthorization,
  insertAuthorization,
} from '../repositories/authorizations.ts';
import { renewedBy, supersedeAuthorization } from '../repositories/authorization-renewals.ts';
import { storeToken } from '../repositories/email-tokens.ts';
import { setMembership } from '../repositories/organisations.ts';
import { requestCreator, type AccessRequest } from '../repositories/requests.ts';
import { findUserByEmail, insertInvitedUser } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';

/** An authorization is granted for three years; its renewal is asked for before then. */
export const AUTHORIZATION_LIFETIME_MONTHS = 36;
/** The contacts who get access (an account and the tokens); the others named on the request are informed. */
const ACCESS_ROLES: ContactRole[] = ['technical', 'business'];
const INFORMED_ROLES: ContactRole[] = ['dpo', 'controller'];

type Grant = { authorizationId: string; request: AccessRequest; mail: Mailer };

/** What each address named on the request is, on it (one person may be several contacts). */
function byAddress(
  contacts: RequestContact[],
  roles: ContactRole[],
): Map<string, RequestContact & { roles: string[] }> {
  const people = new Map<string, RequestContact & { roles: string[] }>();
  for (const contact of contacts.filter((c) => roles.includes(c.role))) {
    const known = people.get(contact.email);
    if (known) known.roles.push(contact.role);
    else people.set(contact.email, { ...contact, roles: [contact.role] });
  }
  return people;
}

/**
 * A contact without an account gets one, attached to the organisation, and an invitation to choose a password (with
 * the terms); an active account gets the access and a notice; an account never activated gets the invitation too.
 */
async function giveAccess(trx: Knex, grant: Grant, person: RequestContact & { roles: string[] }): Promise<void> {
  const { request, mail, authorizationId } = grant;
  const created = await insertInvitedUser(trx, person);
  const user = created ? undefined : await findUserByEmail(trx, person.email);
  const userId = created ?? user!.id;
  await addAuthorizationMember(trx, authorizationId, userId, person.roles);
  const context = { request, authorizationId, contact: person, roles: person.roles };
  if (user?.activatedAt) {
    await mail(trx, 'acces-habilitation', user.email, { ...context, user });
    return;
  }
  if (created) await setMembership(trx, userId, request.organisationId, 'active');
  const { token, hash } = newSecret();
  await storeToken(trx, userId, 'invitation', hash);
  await mail(trx, 'invitation-contact', person.email, {
    ...context,
    user: { givenName: person.givenName },
    link: `/invitation?jeton=${token}`,
  });
}

/**
 * On « Valider », in the decision's transaction: the authorization freezes the accepted answers, scopes and documents
 * (nothing edited later changes it); a renewal supersedes the authorization it renews, whose tokens move over; the applicant and the technical and business contacts get access, the DPO and
 * the data controller are informed. Each address gets one email (outbox rows); a replayed decision writes nothing.
 */
export async function grantAuthorization(
  trx: Knex,
  mail: Mailer,
  request: AccessRequest,
  validatedBy?: string,
): Promise<string | undefined> {
  const validatedAt = new Date();
  const authorizationId = await insertAuthorization(trx, {
    requestId: request.id,
    organisationId: request.organisationId,
    useCaseId: request.useCaseId,
    title: request.title ?? `Demande n° ${request.id}`,
    scopes: ((request.answers.donnees?.scopes as string[] | undefined) ?? []).filter((s) => typeof s === 'string'),
    answers: request.answers,
    documents: await documentsToFreeze(trx, request.id),
    validatedBy: validatedBy ?? null,
    expiresAt: addMonths(validatedAt, AUTHORIZATION_LIFETIME_MONTHS),
  });
  if (!authorizationId) return undefined;
  const renewed = await renewedBy(trx, request.id);
  if (renewed) await supersedeAuthorization(trx, renewed, authorizationId);
  const grant: Grant = { authorizationId, request, mail };
  await addAuthorizationMember(trx, authorizationId, await requestCreator(trx, request.id), ['applicant']);
  const contacts = requestContacts(request.answers);
  const access = byAddress(contacts, ACCESS_ROLES);
  for (const person of access.values()) await giveAccess(trx, grant, person);
  for (const person of byAddress(contacts, INFORMED_ROLES).values())
    if (!access.has(person.email))
      await mail(trx, 'habilitation-information', person.email, {
        request,
        contact: person,
        roles: person.roles,
        user: { givenName: person.givenName },
      });
  return authorizationId;
}

/** On « Révoquer »: the authorization ends, and every token of it with it. */
export async function revokeAuthorization(trx: Knex, request: AccessRequest): Promise<void> {
  await endAuthorization(trx, request.id, 'revoked');
}
