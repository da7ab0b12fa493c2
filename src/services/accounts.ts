import type { Knex } from 'knex';
import { normaliseEmail } from '../domain/email.ts';
import { hashPassword, verifyPassword } from '../domain/passwords.ts';
import { checkPassword } from '../domain/password-policy.ts';
import { hashSecret, newSecret, type TokenPurpose } from '../domain/tokens.ts';
import { consumeToken, storeToken, tokenIsValid } from '../repositories/email-tokens.ts';
import { destroyUserSessions } from '../repositories/sessions.ts';
import {
  findUserByEmail, findUserById, insertUser, markActivated, passwordHashOf, recordSignIn, setPasswordHash, type User,
} from '../repositories/users.ts';
import type { Mailer } from './emails.ts';
import type { JoinOutcome, OrganisationService } from './organisations.ts';
import { commonPasswords } from './password-dictionary.ts';

export type SignUpInput = { email: string; givenName: string; familyName: string; password: string; siret: string; missionJustification: string | null };

/**
 * Accounts: sign-up, activation, sign-in, password reset and change. Answers never reveal whether an email has an
 * account (same page, comparable time: unknown emails still pay for an argon2 verification).
 */
export function accountService(db: Knex, mail: Mailer, organisations: OrganisationService) {
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword('mot de passe factice pour égaliser les temps de réponse'));

  async function sendToken(trx: Knex, user: { id: string; email: string; givenName: string }, purpose: TokenPurpose, template: string) {
    const { token, hash } = newSecret();
    await storeToken(trx, user.id, purpose, hash);
    const path = purpose === 'activation' ? '/activation' : '/mot-de-passe/nouveau';
    await mail(trx, template, user.email, { user, link: `${path}?jeton=${token}` });
  }

  return {
    passwordProblem(password: string, personal: string[]): string | undefined {
      const check = checkPassword(password, commonPasswords(), personal);
      return check.ok ? undefined : check.message;
    },

    async signUp(input: SignUpInput): Promise<void> {
      const email = normaliseEmail(input.email);
      const passwordHash = await hashPassword(input.password); // always paid, so that both branches take as long
      await db.transaction(async (trx) => {
        const id = await insertUser(trx, {
          email, givenName: input.givenName, familyName: input.familyName, passwordHash,
          signupSiret: input.siret, signupMissionJustification: input.missionJustification,
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
        const join = user.signupSiret ? await organisations.join(trx, user, user.signupSiret, user.signupMissionJustification) : undefined;
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
      await db.raw('SELECT graphile_worker.add_job(?, json_build_object(?::text, ?::text), max_attempts => 5)', ['password_reset', 'email', normaliseEmail(emailInput)]);
    },

    async sendResetIfAccountExists(email: string): Promise<void> {
      const user = await findUserByEmail(db, email);
      if (user) await db.transaction((trx) => sendToken(trx, user, 'reset', 'reinitialisation'));
    },

    /** Sets a new password from an emailed link; ends every session of the user; does not sign in. */
    async resetPassword(token: string, password: string): Promise<boolean> {
      const passwordHash = await hashPassword(password);
      return db.transaction(async (trx) => {
        const userId = await consumeToken(trx, hashSecret(token), 'reset');
        if (!userId) return false;
        const user = (await findUserById(trx, userId)) as User;
        await setPasswordHash(trx, userId, passwordHash);
        if (!user.activatedAt) await markActivated(trx, userId); // the link proves the address, as activation does
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
        await destroyUserSessions(trx, user.id, keepSid);
        await mail(trx, 'mot-de-passe-modifie', user.email, { user });
      });
      return 'ok';
    },

    findUser: (id: string) => findUserById(db, id),
  };
}

export type AccountService = ReturnType<typeof accountService>;
