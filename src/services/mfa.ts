import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import { newRecoveryCodes, normaliseRecoveryCode } from '../domain/recovery-codes.ts';
import { derivedKey, seal, unseal } from '../domain/sealing.ts';
import { checkCode, newSecret } from '../domain/totp.ts';
import { recordAudit } from '../repositories/audit.ts';
import { acceptStep, storePendingSecret, totpOf } from '../repositories/mfa.ts';
import {
  recoveryCodesStatus,
  replaceRecoveryCodes,
  useRecoveryCode,
  type RecoveryCodesStatus,
} from '../repositories/recovery-codes.ts';
import { findUserById } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';

const PURPOSE = 'totp-secret/aes-256-gcm/v1';
const additionalData = (userId: string) => Buffer.from(`users.totp_secret\n${userId}`);

/** The secret as stored in `users.totp_secret`: sealed under a key derived from SESSION_SECRET, bound to the user. */
export function sealTotpSecret(sessionSecret: string, userId: string, secret: string): Buffer {
  return seal(derivedKey(sessionSecret, PURPOSE), secret, additionalData(userId));
}

const RECOVERY_PURPOSE = 'recovery-codes/hmac-sha256/v1';
const SHOWN_PURPOSE = 'recovery-codes-shown/aes-256-gcm/v1';

export type MfaState = { enrolled: true } | { enrolled: false; secret: string };
/** A recovery code accepted (with how many are left), or refused (wrong, already used, or not a code at all). */
export type RecoveryResult = { ok: true; remaining: number } | { ok: false; reason: 'format' | 'wrong' };
/** `enrolled`: the code confirmed the enrolment; `ok`: verified; otherwise why it was refused. */
export type MfaResult = 'ok' | 'enrolled' | 'wrong' | 'reused';

/**
 * TOTP second factor of staff accounts. Enrolment: a secret is generated and stored sealed, then confirmed by
 * a first code. Every accepted code moves `totp_last_step` forward, so a code (or an earlier one) cannot be used
 * again. Enrolments and failures are audit-logged; the secret and the codes never are.
 */
export function mfaService(db: Knex, sessionSecret: string, mail: Mailer) {
  const key = derivedKey(sessionSecret, PURPOSE);
  const recoveryKey = derivedKey(sessionSecret, RECOVERY_PURPOSE);
  const shownKey = derivedKey(sessionSecret, SHOWN_PURPOSE);
  const hashOf = (userId: string, code: string) =>
    createHmac('sha256', recoveryKey).update(`${userId}\n${code}`).digest();
  const shownData = (userId: string) => Buffer.from(`session.recoveryCodes\n${userId}`);
  const open = (userId: string, sealed: Buffer | null) =>
    sealed ? unseal(key, sealed, additionalData(userId)) : undefined;

  return {
    /** Enrolled, or the secret to show for enrolment (created on first call, the same until confirmed). */
    async state(userId: string): Promise<MfaState> {
      const row = await totpOf(db, userId);
      if (row?.enabledAt) return { enrolled: true };
      const pending = open(userId, row?.sealedSecret ?? null);
      if (pending) return { enrolled: false, secret: pending };
      // none yet, or sealed under a previous SESSION_SECRET: a new one replaces it (not confirmed, nothing is lost)
      await storePendingSecret(
        db,
        userId,
        sealTotpSecret(sessionSecret, userId, newSecret()),
        row?.sealedSecret != null,
      );
      const stored = await totpOf(db, userId);
      const secret = open(userId, stored?.sealedSecret ?? null);
      if (!secret) throw new Error('Secret TOTP illisible après enregistrement');
      return { enrolled: false, secret };
    },

    /** Checks a code (enrolment confirmation or verification); the step is accepted once only. */
    async verify(userId: string, code: string, now = Date.now()): Promise<MfaResult> {
      const row = await totpOf(db, userId);
      const secret = open(userId, row?.sealedSecret ?? null);
      const enrolling = !row?.enabledAt;
      let result: MfaResult = 'wrong';
      if (row && secret) {
        const check = checkCode(secret, code, now, row.lastStep);
        if (!check.ok) result = check.reason;
        else if (!(await acceptStep(db, userId, check.step, enrolling))) result = 'reused';
        else result = enrolling ? 'enrolled' : 'ok';
      }
      const subject = { actorId: userId, subjectType: 'user', subjectId: userId };
      if (result === 'enrolled') await recordAudit(db, { ...subject, action: 'mfa.enrolled' });
      if (result === 'wrong' || result === 'reused')
        await recordAudit(db, { ...subject, action: 'mfa.failure', details: { reason: result, enrolment: enrolling } });
      return result;
    },

    /**
     * A new set of ten recovery codes replaces the previous one (audited, never the codes). Returns the codes, to be
     * shown once, and the same sealed for the session until the page shows them.
     */
    async newRecoveryCodes(userId: string): Promise<{ codes: string[]; sealed: string }> {
      const codes = newRecoveryCodes();
      await db.transaction(async (trx) => {
        await replaceRecoveryCodes(
          trx,
          userId,
          codes.map((code) => hashOf(userId, normaliseRecoveryCode(code)!)),
        );
        await recordAudit(trx, {
          actorId: userId,
          subjectType: 'user',
          subjectId: userId,
          action: 'mfa.recovery_codes_generated',
          details: { count: codes.length },
        });
      });
      return { codes, sealed: seal(shownKey, JSON.stringify(codes), shownData(userId)).toString('base64') };
    },

    /** The codes sealed by `newRecoveryCodes` for this user, or undefined (another user's, another key, altered). */
    shownRecoveryCodes(userId: string, sealed: string | undefined): string[] | undefined {
      if (!sealed) return undefined;
      const plain = unseal(shownKey, Buffer.from(sealed, 'base64'), shownData(userId));
      return plain ? (JSON.parse(plain) as string[]) : undefined;
    },

    recoveryStatus(userId: string): Promise<RecoveryCodesStatus> {
      return recoveryCodesStatus(db, userId);
    },

    /**
     * Uses one recovery code instead of the authenticator's code: accepted once, then never again. Audited either way
     * (never the code); the staff member is emailed that a code was used, with how many are left.
     */
    async useRecoveryCode(userId: string, typed: unknown): Promise<RecoveryResult> {
      const code = normaliseRecoveryCode(typed);
      if (!code) return { ok: false, reason: 'format' };
      const subject = { actorId: userId, subjectType: 'user', subjectId: userId };
      return db.transaction(async (trx) => {
        if (!(await useRecoveryCode(trx, userId, hashOf(userId, code)))) {
          await recordAudit(trx, { ...subject, action: 'mfa.failure', details: { reason: 'recovery_code' } });
          return { ok: false, reason: 'wrong' } as const;
        }
        const { remaining } = await recoveryCodesStatus(trx, userId);
        await recordAudit(trx, { ...subject, action: 'mfa.recovery_code_used', details: { remaining } });
        const user = await findUserById(trx, userId);
        if (user) await mail(trx, 'code-de-secours-utilise', user.email, { user, remaining, usedAt: new Date() });
        return { ok: true, remaining } as const;
      });
    },
  };
}

export type MfaService = ReturnType<typeof mfaService>;
