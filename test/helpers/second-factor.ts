import { base32Decode, hotp, timeStep, WINDOW } from '../../src/domain/totp.ts';

/** The TOTP secret enrolled for every staff fixture account (test/helpers/fixtures.ts): 160 bits, base32. */
export const FIXTURE_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const SECOND_FACTOR_PATH = '/compte/double-authentification';

const usedSteps = new WeakMap<object, Map<string, number>>();

/**
 * The code a person would type for `email`, read from their authenticator app holding `secret`: the code of the
 * current 30-second step, or of the next one (the service accepts ±1 step) when the current one was already used by
 * an earlier sign-in of this account on this app (`scope`). A used step is never offered again, as the service
 * refuses reuse; when both are used, this waits for the next step, as the person would. No database reset: what
 * the service sees is what it would see in real life, only faster.
 */
export async function nextCode(scope: object, email: string, secret = FIXTURE_TOTP_SECRET): Promise<string> {
  const key = base32Decode(secret);
  if (!key) throw new Error(`Secret TOTP invalide pour ${email}`);
  const used = usedSteps.get(scope) ?? new Map<string, number>();
  usedSteps.set(scope, used);
  for (;;) {
    const now = Date.now();
    const current = timeStep(now);
    // never the previous step: the server's clock, read a little later, could already be two steps away
    const step = Math.max(current, (used.get(email) ?? -Infinity) + 1);
    if (step <= current + WINDOW) {
      used.set(email, step);
      return hotp(key, step);
    }
    await new Promise((resolve) => setTimeout(resolve, (current + 1) * 30_000 - now + 100));
  }
}
