import type { Knex } from 'knex';
import {
  MAX_OVERLAP_DAYS,
  newApiToken,
  overlapEnd,
  TOKEN_LIFETIME_MONTHS,
  tokenState,
  type TokenState,
} from '../domain/api-tokens.ts';
import { addMonths } from '../domain/reminders.ts';
import { derivedKey, seal, unseal } from '../domain/sealing.ts';
import {
  findApiToken,
  insertApiToken,
  lockApiToken,
  replaceApiToken,
  revokeApiToken,
  tokensOfAuthorizations,
  type ApiToken,
} from '../repositories/api-tokens.ts';
import { recordAudit } from '../repositories/audit.ts';
import { authorizationAudience, findAuthorizationForUser, type Authorization } from '../repositories/authorizations.ts';
import type { User } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';
import { emitWebhook } from './webhook-outbox.ts';

export type TokenView = ApiToken & { state: TokenState; usable: boolean };

function view(token: ApiToken, now: Date): TokenView {
  const state = tokenState(token, now);
  return { ...token, state, usable: state === 'active' || state === 'overlap' };
}

/** A token just made: its id and the secret sealed for the session, until the page shows it once. */
export type NewToken = { id: string; sealed: string };

export type TokenChange =
  | { kind: 'done'; token: NewToken }
  /** No such token or authorization for this user (another organisation's): 404. */
  | { kind: 'not_found' }
  /** The authorization ended (revoked, superseded) or the token no longer works: nothing to do. */
  | { kind: 'closed' };

/**
 * The tokens of the authorizations a user may see: create (shown once), renew with an overlap, revoke. Each change is
 * audited and emailed to everyone with access to the authorization, in its transaction. The secret itself is only
 * ever in the answer that shows it: the database keeps its SHA-256, the session the secret sealed until shown.
 */
export function apiTokenService(db: Knex, mail: Mailer, sessionSecret: string, tokensChanged: () => void = () => {}) {
  const key = derivedKey(sessionSecret, 'api-token-shown-once');
  const sealFor = (id: string, token: string): NewToken => ({
    id,
    sealed: seal(key, token, Buffer.from(id)).toString('base64'),
  });

  async function tell(trx: Knex, template: string, authorization: Authorization, context: Record<string, unknown>) {
    for (const person of await authorizationAudience(trx, authorization.id))
      await mail(trx, template, person.email, { user: person, authorization, ...context });
  }

  /** A change of tokens, then the answers this process kept are forgotten (the others hear it from the database). */
  async function changing<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    const result = await db.transaction(work);
    tokensChanged();
    return result;
  }

  async function issue(trx: Knex, user: User, authorization: Authorization, name: string, now: Date) {
    const { token, hash, hint } = newApiToken();
    const expiresAt = addMonths(now, TOKEN_LIFETIME_MONTHS);
    const id = await insertApiToken(trx, {
      authorizationId: authorization.id,
      name,
      hash,
      hint,
      createdBy: user.id,
      expiresAt,
    });
    return { id, token, hint, expiresAt };
  }

  return {
    /** The tokens of these authorizations, newest first, with their state at `now`. */
    async tokensOf(authorizationIds: string[], now = new Date()): Promise<TokenView[]> {
      return (await tokensOfAuthorizations(db, authorizationIds)).map((t) => view(t, now));
    },

    /** One token the user may see, with its authorization; undefined otherwise (another organisation's: 404). */
    async find(user: User, tokenId: string, now = new Date()) {
      const token = await findApiToken(db, tokenId);
      const authorization = token && (await findAuthorizationForUser(db, token.authorizationId, user.id));
      return token && authorization ? { token: view(token, now), authorization } : undefined;
    },

    async create(user: User, authorizationId: string, name: string, now = new Date()): Promise<TokenChange> {
      return db.transaction(async (trx) => {
        const authorization = await findAuthorizationForUser(trx, authorizationId, user.id);
        if (!authorization) return { kind: 'not_found' };
        if (authorization.status !== 'active') return { kind: 'closed' };
        const made = await issue(trx, user, authorization, name, now);
        await recordAudit(trx, {
          actorId: user.id,
          action: 'token.created',
          subjectType: 'authorization',
          subjectId: authorization.id,
          details: { tokenId: made.id, name, hint: made.hint },
        });
        await tell(trx, 'jeton-cree', authorization, {
          token: { name, hint: made.hint, expiresAt: made.expiresAt },
          by: user,
        });
        return { kind: 'done', token: sealFor(made.id, made.token) };
      });
    },

    /**
     * A new token replaces this one; the old one keeps working `overlapDays` more (0 to 30), never past its own
     * expiry, so that the caller's systems move to the new one without an interruption.
     */
    async renew(user: User, tokenId: string, overlapDays: number, now = new Date()): Promise<TokenChange> {
      if (!Number.isInteger(overlapDays) || overlapDays < 0 || overlapDays > MAX_OVERLAP_DAYS)
        throw new RangeError('overlap out of range');
      return changing(async (trx) => {
        const old = await lockApiToken(trx, tokenId);
        const authorization = old && (await findAuthorizationForUser(trx, old.authorizationId, user.id));
        if (!old || !authorization) return { kind: 'not_found' };
        if (authorization.status !== 'active' || tokenState(old, now) !== 'active') return { kind: 'closed' };
        const made = await issue(trx, user, authorization, old.name, now);
        const endsAt = overlapEnd(now, overlapDays, old.expiresAt);
        await replaceApiToken(trx, old.id, made.id, endsAt);
        await recordAudit(trx, {
          actorId: user.id,
          action: 'token.renewed',
          subjectType: 'authorization',
          subjectId: authorization.id,
          details: { tokenId: made.id, replaces: old.id, overlapDays, oldEndsAt: endsAt.toISOString() },
        });
        await tell(trx, 'jeton-cree', authorization, {
          token: { name: old.name, hint: made.hint, expiresAt: made.expiresAt },
          replaced: { hint: old.hint, endsAt },
          by: user,
        });
        return { kind: 'done', token: sealFor(made.id, made.token) };
      });
    },

    async revoke(
      user: User,
      tokenId: string,
      now = new Date(),
    ): Promise<Exclude<TokenChange, { kind: 'done' }> | { kind: 'revoked' }> {
      return changing(async (trx) => {
        const token = await lockApiToken(trx, tokenId);
        const authorization = token && (await findAuthorizationForUser(trx, token.authorizationId, user.id));
        if (!token || !authorization) return { kind: 'not_found' };
        const state = tokenState(token, now);
        if (state !== 'active' && state !== 'overlap') return { kind: 'closed' };
        await revokeApiToken(trx, token.id, user.id);
        await recordAudit(trx, {
          actorId: user.id,
          action: 'token.revoked',
          subjectType: 'authorization',
          subjectId: authorization.id,
          details: { tokenId: token.id, hint: token.hint },
        });
        await tell(trx, 'jeton-revoque', authorization, { token, by: user });
        await emitWebhook(trx, 'jeton.revoque', {
          habilitation: authorization.id,
          siret: authorization.siret,
          jeton: { id: token.id, repere: token.hint },
        });
        return { kind: 'revoked' };
      });
    },

    /** The secret of a token just made, from what the session kept; undefined when altered or of another token. */
    reveal(shown: NewToken): string | undefined {
      return unseal(key, Buffer.from(shown.sealed, 'base64'), Buffer.from(shown.id));
    },
  };
}

export type ApiTokenService = ReturnType<typeof apiTokenService>;
