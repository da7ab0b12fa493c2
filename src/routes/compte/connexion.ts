import { Router } from 'express';
import { normaliseEmail } from '../../domain/email.ts';
import { signInSchema } from '../../forms/accounts.ts';
import { validateForm } from '../../forms/validation.ts';
import { isStaff } from '../../domain/staff.ts';
import { DASHBOARD_PATH, HOME_PATH, SECOND_FACTOR_PATH, safeReturnPath } from '../../middleware/auth.ts';
import { consume, guarded, type RateLimits } from '../../middleware/rate-limit.ts';
import type { Services } from '../../services/index.ts';

const WRONG = 'Adresse électronique ou mot de passe incorrect. Vérifiez-les, ou choisissez « Mot de passe oublié ».';

/**
 * Sign-in (session regenerated, staff sent on to the second factor, rate-limited per account and per address; applicants
 * land on « Mes demandes », or their dashboard once they hold an authorization, unless they were on their way to another
 * page) and sign-out (session destroyed).
 */
export function signInRoutes(services: Services, limits: RateLimits, cookieName: string): Router {
  const router = Router();
  router.get('/connexion', (req, res) => {
    const notice = req.session.notice;
    delete req.session.notice;
    if (res.locals.user) return res.redirect(303, HOME_PATH);
    res.render('compte/connexion', { values: {}, notice });
  });

  router.post('/connexion', async (req, res, next) => {
    await consume(limits.signInByAddress, req.ip ?? 'inconnue');
    const { value, errors, fieldErrors } = validateForm(signInSchema, req.body);
    const values = { email: value.email };
    if (errors.length) return res.status(422).render('compte/connexion', { values, errors, fieldErrors });
    const accountKey = normaliseEmail(value.email);
    const user = await guarded(
      limits.signInFailuresByAccount,
      accountKey,
      () => services.accounts.authenticate(value.email, value.password),
      (u) => u !== undefined,
    );
    if (!user) {
      const wrong = [{ field: 'email', message: WRONG }];
      return res.status(422).render('compte/connexion', { values, errors: wrong, fieldErrors: { email: WRONG } });
    }
    if (user === 'inactive')
      return res.status(422).render('compte/connexion', { values, inactive: true, forceErrorTitle: true });
    const returnTo = safeReturnPath(req.session.returnTo);
    // Users with an authorization land on their dashboard (their tokens), the others on « Mes demandes ».
    const home = (await services.authorizations.hasAny(user.id)) ? DASHBOARD_PATH : HOME_PATH;
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.userAgent = String(req.get('User-Agent') ?? '').slice(0, 200);
      const staff = isStaff(user);
      if (staff) {
        // Staff are signed in only once the second factor is passed: until then, nothing but the code page.
        Object.assign(req.session, { pendingUserId: user.id, pendingAt: Date.now(), returnTo });
      } else {
        Object.assign(req.session, { userId: user.id, authAt: Date.now() });
      }
      const destination = staff ? SECOND_FACTOR_PATH : (returnTo ?? home);
      req.session.save((saveError) => (saveError ? next(saveError) : res.redirect(303, destination)));
    });
  });

  router.post('/deconnexion', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error);
      res.clearCookie(cookieName, { path: '/' });
      res.redirect(303, '/connexion/deconnecte');
    });
  });
  router.get('/connexion/deconnecte', (_req, res) => res.render('compte/deconnecte'));
  return router;
}
