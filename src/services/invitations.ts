import type { Knex } from 'knex';
import { hashPassword } from '../domain/passwords.ts';
import { hashSecret } from '../domain/tokens.ts';
import { consumeToken, tokenIsValid, tokenOwner } from '../repositories/email-tokens.ts';
import { recordAudit } from '../repositories/audit.ts';
import { completeInvitation, findUserById, type User } from '../repositories/users.ts';

/**
 * A contact's invitation, sent when a request naming them was accepted (authorization-grant.ts): the emailed link
 * works once, for a week; following it, the contact accepts the terms and chooses a password, and their account works.
 */
export function invitationService(db: Knex) {
  return {
    isValid: (token: string) => tokenIsValid(db, hashSecret(token), 'invitation'),

    /** Who the invitation is for, to greet them and fill the username for password managers. */
    async invitee(token: string): Promise<User | undefined> {
      const userId = await tokenOwner(db, hashSecret(token), 'invitation');
      return userId ? findUserById(db, userId) : undefined;
    },

    /** Uses the invitation: the password and the acceptance of the terms, in one transaction; undefined when spent. */
    async accept(token: string, password: string): Promise<User | undefined> {
      const passwordHash = await hashPassword(password);
      return db.transaction(async (trx) => {
        const userId = await consumeToken(trx, hashSecret(token), 'invitation');
        if (!userId) return undefined;
        await completeInvitation(trx, userId, passwordHash);
        await recordAudit(trx, {
          actorId: userId,
          action: 'invitation.accepted',
          subjectType: 'user',
          subjectId: userId,
        });
        return findUserById(trx, userId);
      });
    },
  };
}
