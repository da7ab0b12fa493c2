import { Router, type Request, type Response } from 'express';
import { isStaff } from '../../domain/staff.ts';
import { groupedSecret, normaliseCode, otpauthUri } from '../../domain/totp.ts';
import { qrDrawing } from '../../rendering/qr-code.ts';
import { awaitingSecondFactor, HOME_PATH, SECOND_FACTOR_PATH, safeReturnPath } from '../../middleware/auth.ts';
import type { User } from '../../repositories/users.ts';
import { guarded, type RateLimits } from '../../middleware/rate-limit.ts';
import type { MfaResult } from '../../services/mfa.ts';
import type { Services } from '../../services/index.ts';

const MESSAGES: Record<'format' | Exclude<MfaResult, 'ok' | 'enrolled'>, string> = {
  format: 'Saisissez le code à 6 chiffres affiché par votre application d’authentification, par exemple 123456',
  wrong: 'Ce code est incorrect ou a expiré. Saisissez le code à 6 chiffres affiché en ce moment par votre application',
  reused: 'Ce code a déjà été utilisé. Attendez le code suivant de votre application, puis saisissez-le',
};

export const RECOVERY_CODES_PATH = '/compte/codes-de-secours';
export const RECOVERY_SIGN_IN_PATH = '/compte/double-authentification/code-de-secours';

const RECOVERY_MESSAGES = {
  format: 'Saisissez un code de secours de 10 caractères, lettres et chiffres, par exemple K7M2Q-9XH4T',
  wrong: 'Ce code de secours est incorrect ou a déjà été utilisé. Chaque code ne sert qu’une fois, essayez-en un autre',
};

/**
 * Signs in the staff member who passed the second factor: a new session id, signed in since the password was typed
 * (`extra`: what the next page needs, set in the new session).
 */
function signIn(req: Request, user: User, extra: Partial<Request['session']> = {}): Promise<void> {
  const { userAgent, pendingAt } = req.session;
  return new Promise((resolve, reject) => {
    req.session.regenerate((error) => {
      if (error) return reject(error as Error);
      Object.assign(req.session, {
        userId: user.id,
        authAt: pendingAt ?? Date.now(),
        userAgent,
        mfa: true,
        mfaAt: Date.now(),
        ...extra,
      });
      req.session.save((saveError) => (saveError ? reject(saveError as Error) : resolve()));
    });
  });
}

/**
 * Second factor of staff accounts, for a session that has typed the password and is not signed in yet:
 * enrolment (the secret to add to an authenticator app, confirmed by a first code) or verification, 5 wrong codes
 * per account per 15 minutes, then the page that was asked for. Anyone else: the sign-in page (or, signed in,
 * « Mes demandes »).
 */
export function secondFactorRoutes(services: Services, limits: RateLimits): Router {
  const router = Router();

  /** The staff member waiting for the second factor, or where to send everyone else. */
  const waiting = async (req: Request, res: Response): Promise<User | undefined> => {
    const id = awaitingSecondFactor(req);
    const user = id ? await services.accounts.findUser(id) : undefined;
    if (user && isStaff(user)) return user;
    res.redirect(303, res.locals.user ? HOME_PATH : '/connexion');
    return undefined;
  };

  const render = async (res: Response, user: User, status: number, error?: string) => {
    const state = await services.mfa.state(user.id);
    const enrolling = (secret: string) => {
      const uri = otpauthUri(secret, user.email);
      return { grouped: groupedSecret(secret), uri, qrCode: qrDrawing(uri) };
    };
    const enrolment = state.enrolled ? undefined : enrolling(state.secret);
    const errors = error ? [{ field: 'code', message: error }] : [];
    res
      .status(status)
      .render('compte/double-authentification', { enrolment, errors, fieldErrors: error ? { code: error } : {} });
  };

  router.get(SECOND_FACTOR_PATH, async (req, res) => {
    const user = await waiting(req, res);
    if (user) await render(res, user, 200);
  });

  router.post(SECOND_FACTOR_PATH, async (req, res) => {
    const user = await waiting(req, res);
    if (!user) return;
    const code = normaliseCode((req.body as { code?: unknown }).code);
    if (!code) return render(res, user, 422, MESSAGES.format); // nothing checked, nothing counted
    const passed = (r: MfaResult) => r === 'ok' || r === 'enrolled';
    const result = await guarded(
      limits.secondFactorFailuresByAccount,
      user.id,
      () => services.mfa.verify(user.id, code),
      passed,
      { lastFailureRefused: true },
    );
    if (result === 'wrong' || result === 'reused') return render(res, user, 422, MESSAGES[result]);
    const returnTo = safeReturnPath(req.session.returnTo);
    if (result === 'enrolled') {
      // Enrolled: the recovery codes, shown once on their page, which then leads to the page that was asked for.
      const { sealed } = await services.mfa.newRecoveryCodes(user.id);
      await signIn(req, user, {
        recoveryCodes: sealed,
        returnTo: returnTo ?? HOME_PATH,
        notice: 'La double authentification est activée : votre application vous donnera un code à chaque connexion.',
      });
      return res.redirect(303, RECOVERY_CODES_PATH);
    }
    await signIn(req, user);
    res.redirect(303, returnTo ?? HOME_PATH);
  });

  /** A recovery code instead of the authenticator's: for an enrolled staff member who has lost their app. */
  const renderRecovery = (res: Response, status: number, error?: string) =>
    res.status(status).render('compte/code-de-secours', {
      errors: error ? [{ field: 'code', message: error }] : [],
      fieldErrors: error ? { code: error } : {},
    });

  router.get(RECOVERY_SIGN_IN_PATH, async (req, res) => {
    const user = await waiting(req, res);
    if (!user) return;
    if (!(await services.mfa.state(user.id)).enrolled) return res.redirect(303, SECOND_FACTOR_PATH);
    renderRecovery(res, 200);
  });

  router.post(RECOVERY_SIGN_IN_PATH, async (req, res) => {
    const user = await waiting(req, res);
    if (!user) return;
    if (!(await services.mfa.state(user.id)).enrolled) return res.redirect(303, SECOND_FACTOR_PATH);
    const typed = (req.body as { code?: unknown }).code;
    const result = await guarded(
      limits.secondFactorFailuresByAccount,
      user.id,
      () => services.mfa.useRecoveryCode(user.id, typed),
      (r) => r.ok || r.reason === 'format', // a malformed code is not a guess: not counted
      { lastFailureRefused: true },
    );
    if (!result.ok) return renderRecovery(res, 422, RECOVERY_MESSAGES[result.reason]);
    const returnTo = safeReturnPath(req.session.returnTo);
    // Few codes left: the codes page, to make new ones; otherwise the page that was asked for.
    const low = result.remaining <= 3;
    const left =
      result.remaining === 0
        ? 'C’était votre dernier code de secours : générez-en de nouveaux dès maintenant.'
        : `Il vous reste ${result.remaining} code${result.remaining > 1 ? 's' : ''} de secours.`;
    await signIn(req, user, {
      notice: `Code de secours accepté : il ne servira plus. ${left}`,
      ...(low ? { returnTo: returnTo ?? HOME_PATH } : {}),
    });
    res.redirect(303, low ? RECOVERY_CODES_PATH : (returnTo ?? HOME_PATH));
  });
  return router;
}
