import type { Knex } from 'knex';
import { dueExpiryReminder, EXPIRY_REMINDER_DAYS, RENEWAL_REMINDER_DAYS } from '../domain/api-tokens.ts';
import { recordTokenReminder, tokensNearExpiry } from '../repositories/api-tokens.ts';
import { authorizationAudience, findAuthorizationById } from '../repositories/authorizations.ts';
import { authorizationsNearExpiry, recordRenewalReminder } from '../repositories/authorization-renewals.ts';
import type { Mailer } from './emails.ts';

/**
 * Expiry reminders of tokens, 90, 30 and 7 days before and on the day, to everyone with access to the authorization,
 * and reminders to renew an authorization 90 and 30 days before it expires (unless a renewal is open).
 * Each (token, threshold) is recorded with its emails in one transaction: sent once, whatever the runs and retries; a
 * worker stopped for a while sends only the threshold reached, not the ones it missed.
 */
export function tokenReminderService(db: Knex, mail: Mailer) {
  return {
    async run(now: Date): Promise<{ sent: number }> {
      let sent = 0;
      for (const token of await tokensNearExpiry(db, now, Math.max(...EXPIRY_REMINDER_DAYS))) {
        const days = dueExpiryReminder(token.expiresAt, now);
        if (days === undefined) continue;
        await db.transaction(async (trx) => {
          if (!(await recordTokenReminder(trx, token.id, days))) return;
          const authorization = await findAuthorizationById(trx, token.authorizationId);
          if (!authorization || authorization.status !== 'active') return;
          for (const person of await authorizationAudience(trx, token.authorizationId))
            await mail(trx, 'jeton-expiration', person.email, { user: person, token, authorization, days });
          sent += 1;
        });
      }
      for (const authorization of await authorizationsNearExpiry(db, now, Math.max(...RENEWAL_REMINDER_DAYS))) {
        const days = dueExpiryReminder(authorization.expiresAt, now, RENEWAL_REMINDER_DAYS);
        if (days === undefined) continue;
        await db.transaction(async (trx) => {
          if (!(await recordRenewalReminder(trx, authorization.id, days))) return;
          for (const person of await authorizationAudience(trx, authorization.id))
            await mail(trx, 'habilitation-a-renouveler', person.email, { user: person, authorization, days });
          sent += 1;
        });
      }
      return { sent };
    },
  };
}

export type TokenReminderService = ReturnType<typeof tokenReminderService>;
