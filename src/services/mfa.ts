import type { Knex } from 'knex';
import { derivedKey, seal, unseal } from '../domain/sealing.ts';
import { checkCode, newSecret } from '../domain/totp.ts';
import { recordAudit } from '../repositories/audit.ts';
import { acceptStep, storePendingSecret, totpOf } from '../repositories/mfa.ts';

const PURPOSE = 'totp-secret/aes-256-gcm/v1';
const additionalData = (userId: string) => Buffer.from(`users.totp_secret\n${userId}`);

/** The secret as stored in `users.totp_secret`: sealed under a key derived from SESSION_SECRET, bound to the user. */
export function sealTotpSecret(sessionSecret: string, userId: string, secret: string): Buffer {
  return seal(derivedKey(sessionSecret, PURPOSE), secret, additionalData(userId));
}

export type MfaState = { enrolled: true } | { enrolled: false; secret: string };
/** `enrolled`: the code confirmed the enrolment; `ok`: verified; otherwise why it was refused. */
export type MfaResult = 'ok' | 'enrolled' | 'wrong' | 'reused';

/**
 * TOTP second factor of staff accounts. Enrolment: a secret is generated and stored sealed, then confirmed by
 * a first code. Every accepted code moves `totp_last_step` forward, so a code (or an earlier one) cannot be used
 * again. Enrolments and failures are audit-logged; the secret and the codes never are.
 */
export function mfaService(db: Knex, sessionSecret: string) {
  const key = derivedKey(sessionSecret, PURPOSE);
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
  };
}

export type MfaService = ReturnType<typeof mfaService>;
