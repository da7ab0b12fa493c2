import type { Knex } from 'knex';
import { normaliseEmail } from '../domain/email.ts';
import { hashPassword, verifyPassword } from '../domain/passwords.ts';
import { checkPassword } from '../domain/password-policy.ts';
import { hashSecret, newSecret, type TokenPurpose } from '../domain/tokens.ts';
import {
  consumeEmailChangeToken,
  consumeToken,
  revokeOutstandingTokens,
  storeToken,
  tokenIsValid,
} from '../repositories/email-tokens.ts';
import { recordAudit } from '../repositories/audit.ts';
import { destroyUserSessions } from '../repositories/sessions.ts';
import {
  findUserByEmail,
  findUserById,
  insertUser,
  markActivated,
  passwordHashOf,
  recordSignIn,
  setEmail,
  setPasswordHash,
  type User,
} from '../repositories/users.ts';
import type { Mailer } from './emails.ts';
import type { JoinOutcome, OrganisationService } from './organisations.ts';
import { commonPasswords } from './password-dictionary.ts';
import { enqueue } from '../db/job-queue.ts';

export type SignUpInput = {
  email: string;
  givenName: string;
  familyName: string;
  password: string;
  siret: string;
  missionJustification: string | null;
};

/**
 * Accounts: sign-up, activation, sign-in, password reset and change. Answers never reveal whether an email has an
 * account (same page, comparable time: unknown emails still pay for an argon2 verification).
 */
export function accountService(db: Knex, mail: Mailer, organisations: OrganisationService) {
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword('mot de passe factice pour égaliser les temps de réponse'));

  async function sendToken(
    trx: Knex,
    user: { id: string; email: string; givenName: string },
    purpose: TokenPurpose,
    template: string,
  ) {
    const { token, hash } = newSecret();
    await storeToken(trx, user.id, purpose, hash);
    const path = purpose === 'activation' ? '/activation' : '/mot-de-passe/nouveau';
    await mail(trx, template, user.email, { user, link: `${path}?jeton=${token}` });
  }

  return {
    /** What is wrong with a new password, in French; a missing or malformed value counts as empty. */
    passwordProblem(password: unknown, personal: string[]): string | undefined {
      const check = checkPassword(typeof password === 'string' ? password : '', commonPasswords(), personal);
      return check.ok ? undefined : check.message;
    },

    async signUp(input: SignUpInput): Promise<void> {
      const email = normaliseEmail(input.email);
      const passwordHash = await hashPassword(input.password); // always paid, so that both branches take as long
      await db.transaction(async (trx) => {
        const id = await insertUser(trx, {
          email,
          givenName: input.givenName,
          familyName: input.familyName,
          passwordHash,
          signupSiret: input.siret,
          signupMissionJustification: input.missionJustification,
        });
        if (id) return sendToken(trx, { id, email, givenName: input.givenName }, 'activation', 'activation');
        const existing = await findUserByEmail(trx, email);
        if (!existing) return;
        if (existing.activatedAt) await mail(trx, 'compte-existant', existing.email, { user: existing });
        else await sendToken(trx, existing, 'activation', 'activation');
      });
    },

    async resendActivation(emailInput: string): Promise<void> {
      const user = await findUserByEmail(db, normaliseEmail(emailInput));
      if (!user || user.activatedAt) return;
      await db.transaction((trx) => sendToken(trx, user, 'activation', 'activation'));
    },

    tokenIsValid: (token: string, purpose: TokenPurpose) => tokenIsValid(db, hashSecret(token), purpose),

    /** Activates the account and joins the organisation chosen at sign-up, in one transaction. */
    async activate(token: string): Promise<{ user: User; join: JoinOutcome | undefined } | undefined> {
      return db.transaction(async (trx) => {
        const userId = await consumeToken(trx, hashSecret(token), 'activation');
        if (!userId) return undefined;
        await markActivated(trx, userId);
        const user = (await findUserById(trx, userId)) as User;
        const join = user.signupSiret
          ? await organisations.join(trx, user, user.signupSiret, user.signupMissionJustification)
          : undefined;
        return { user, join };
      });
    },

    /** The user when the password is right and the account active; `inactive` when right but not activated. */
    async authenticate(emailInput: string, password: string): Promise<User | 'inactive' | undefined> {
      const user = await findUserByEmail(db, normaliseEmail(emailInput));
      const valid = await verifyPassword(user?.passwordHash ?? (await dummy()), password).catch(() => false);
      if (!user || !valid) return undefined;
      if (!user.activatedAt) return 'inactive';
      await recordSignIn(db, user.id);
      return user;
    },

    /** Queues the work; the same for every address, known or not (see `sendResetIfAccountExists`). */
    async requestReset(emailInput: string): Promise<void> {
      await enqueue(db, 'password_reset', { email: normaliseEmail(emailInput) }, { maxAttempts: 5 });
    },

    async sendResetIfAccountExists(email: string): Promise<void> {
      const user = await findUserByEmail(db, email);
      if (user) await db.transaction((trx) => sendToken(trx, user, 'reset', 'reinitialisation'));
    },

    /** Sets a new password from an emailed link; ends every session and every other link of the user; does not sign in. */
    async resetPassword(token: string, password: string): Promise<boolean> {
      const passwordHash = await hashPassword(password);
      return db.transaction(async (trx) => {
        const userId = await consumeToken(trx, hashSecret(token), 'reset');
        if (!userId) return false;
        const user = (await findUserById(trx, userId)) as User;
        await setPasswordHash(trx, userId, passwordHash);
        if (!user.activatedAt) await markActivated(trx, userId); // the link proves the address, as activation does
        await revokeOutstandingTokens(trx, userId);
        await destroyUserSessions(trx, userId);
        await mail(trx, 'mot-de-passe-modifie', user.email, { user });
        return true;
      });
    },

    async changePassword(user: User, current: string, next: string, keepSid: string): Promise<'ok' | 'wrong_current'> {
      const hash = await passwordHashOf(db, user.id);
      if (!hash || !(await verifyPassword(hash, current).catch(() => false))) return 'wrong_current';
      const passwordHash = await hashPassword(next);
      await db.transaction(async (trx) => {
        await setPasswordHash(trx, user.id, passwordHash);
        await revokeOutstandingTokens(trx, user.id);
        await destroyUserSessions(trx, user.id, keepSid);
        await mail(trx, 'mot-de-passe-modifie', user.email, { user });
      });
      return 'ok';
    },

    /** Whether `password` is the user's current password (recent re-authentication). */
    async verifyCurrentPassword(user: User, password: string): Promise<boolean> {
      const hash = await passwordHashOf(db, user.id);
      return verifyPassword(hash ?? (await dummy()), password)
        .catch(() => false)
        .then((ok) => ok && hash !== null);
    },

    /**
     * Email change, step 1. The answer is the same whether the new address is free or another account's: the old
     * address gets a notice (no link) in both cases; a free address gets the confirmation link, a taken one the
     * owner's "someone tried to use your address" notice instead (as sign-up does with a known address).
     */
    async requestEmailChange(user: User, newEmailInput: string): Promise<void> {
      const newEmail = normaliseEmail(newEmailInput);
      await db.transaction(async (trx) => {
        const owner = await findUserByEmail(trx, newEmail);
        await mail(trx, 'changement-adresse-demande', user.email, { user, newEmail });
        if (owner && owner.id !== user.id) {
          await mail(trx, 'adresse-deja-utilisee', owner.email, { user: owner });
          return;
        }
        const { token, hash } = newSecret();
        await storeToken(trx, user.id, 'email_change', hash, newEmail);
        await mail(trx, 'changement-adresse', newEmail, {
          user,
          newEmail,
          link: `/adresse-electronique/confirmer?jeton=${token}`,
        });
      });
    },

    /**
     * Email change, step 2 (the link was followed): the address changes, every other session of the user ends,
     * memberships stay as they are (ADR 0007: the domain only matters when joining), and the audit log keeps a row.
     * `keepSid` is the current session when it belongs to the same user.
     */
    async confirmEmailChange(
      token: string,
      current: { userId?: string; sid: string },
    ): Promise<User | 'taken' | undefined> {
      return db.transaction(async (trx) => {
        const change = await consumeEmailChangeToken(trx, hashSecret(token));
        if (!change) return undefined;
        const before = await findUserById(trx, change.userId);
        if (!before) return undefined;
        if (!(await setEmail(trx, change.userId, change.newEmail))) return 'taken';
        await revokeOutstandingTokens(trx, change.userId);
        await destroyUserSessions(trx, change.userId, current.userId === change.userId ? current.sid : undefined);
        await recordAudit(trx, {
          actorId: change.userId,
          action: 'email_changed',
          subjectType: 'user',
          subjectId: change.userId,
          details: { from: before.email, to: change.newEmail },
        });
        return (await findUserById(trx, change.userId)) as User;
      });
    },

    findUser: (id: string) => findUserById(db, id),
  };
}

export type AccountService = ReturnType<typeof accountService>;
