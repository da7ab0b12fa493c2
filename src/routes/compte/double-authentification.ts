import { Router, type Request, type Response } from 'express';
import { isStaff } from '../../domain/staff.ts';
import { groupedSecret, normaliseCode, otpauthUri } from '../../domain/totp.ts';
import { currentUserOf, HOME_PATH, requireUser, SECOND_FACTOR_PATH, safeReturnPath } from '../../middleware/auth.ts';
import { countFailure, ensureNotBlocked, type RateLimits } from '../../middleware/rate-limit.ts';
import type { MfaResult } from '../../services/mfa.ts';
import type { Services } from '../../services/index.ts';

const MESSAGES: Record<'format' | Exclude<MfaResult, 'ok' | 'enrolled'>, string> = {
  format: 'Saisissez le code à 6 chiffres affiché par votre application d’authentification, par exemple 123456',
  wrong: 'Ce code est incorrect ou a expiré. Saisissez le code à 6 chiffres affiché en ce moment par votre application',
  reused: 'Ce code a déjà été utilisé. Attendez le code suivant de votre application, puis saisissez-le',
};

/** Keeps the signed-in state across the regeneration (new session id once the second factor is passed). */
function regenerate(req: Request): Promise<void> {
  const { userId, authAt, userAgent, organisationId } = req.session;
  return new Promise((resolve, reject) => {
    req.session.regenerate((error) => {
      if (error) return reject(error as Error);
      Object.assign(req.session, { userId, authAt, userAgent, organisationId, mfa: true, mfaAt: Date.now() });
      req.session.save((saveError) => (saveError ? reject(saveError as Error) : resolve()));
    });
  });
}

/**
 * Second factor of staff accounts (S-6b): enrolment (the secret to add to an authenticator app, confirmed by a first
 * code) or verification, 5 wrong codes per account per 15 minutes, then the page that was asked for.
 */
export function secondFactorRoutes(services: Services, limits: RateLimits): Router {
  const router = Router();
  router.use(SECOND_FACTOR_PATH, requireUser);

  const render = async (res: Response, status: number, error?: string) => {
    const user = currentUserOf(res);
    const state = await services.mfa.state(user.id);
    const enrolment = state.enrolled ? undefined : { grouped: groupedSecret(state.secret), uri: otpauthUri(state.secret, user.email) };
    const errors = error ? [{ field: 'code', message: error }] : [];
    res.status(status).render('compte/double-authentification', { enrolment, errors, fieldErrors: error ? { code: error } : {} });
  };

  router.get(SECOND_FACTOR_PATH, async (req, res) => {
    if (!isStaff(currentUserOf(res))) return res.redirect(303, '/compte');
    await render(res, 200);
  });

  router.post(SECOND_FACTOR_PATH, async (req, res) => {
    const user = currentUserOf(res);
    if (!isStaff(user)) return res.redirect(303, '/compte');
    await ensureNotBlocked(limits.secondFactorFailuresByAccount, user.id);
    const code = normaliseCode((req.body as { code?: unknown }).code);
    if (!code) return render(res, 422, MESSAGES.format);
    const result = await services.mfa.verify(user.id, code);
    if (result === 'wrong' || result === 'reused') {
      await countFailure(limits.secondFactorFailuresByAccount, user.id);
      return render(res, 422, MESSAGES[result]);
    }
    const returnTo = safeReturnPath(req.session.returnTo);
    await regenerate(req);
    if (result === 'enrolled') req.session.notice = 'La double authentification est activée : votre application vous donnera un code à chaque connexion.';
    res.redirect(303, returnTo ?? HOME_PATH);
  });
  return router;
}
