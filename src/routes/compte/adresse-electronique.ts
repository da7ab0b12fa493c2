import Joi from 'joi';
import { Router, type RequestHandler } from 'express';
import { emailField } from '../../forms/accounts.ts';
import { secret, validateForm } from '../../forms/validation.ts';
import { normaliseEmail } from '../../domain/email.ts';
import { currentUserOf, requireRecentAuth, requireUser, safeReturnPath } from '../../middleware/auth.ts';
import { consume, guarded, type RateLimits } from '../../middleware/rate-limit.ts';
import type { Services } from '../../services/index.ts';

const confirmPasswordSchema = Joi.object<{ password: string }>({
  password: Joi.string()
    .max(1000)
    .required()
    .meta(secret)
    .messages({ 'string.empty': 'Saisissez votre mot de passe', 'any.required': 'Saisissez votre mot de passe' }),
});
const newEmailSchema = Joi.object<{ email: string }>({ email: emailField });

/**
 * Re-authentication before sensitive actions and the email change: a link to the new address, a notice to the
 * old one, the address changed only when the link is followed. Memberships do not change (ADR 0007).
 */
export function emailChangeRoutes(services: Services, limits: RateLimits): Router {
  const router = Router();
  const returnOf = (value: unknown) => {
    const path = safeReturnPath(value);
    return path && !path.startsWith('/compte/confirmer-mot-de-passe') ? path : '/compte';
  };

  router.get('/compte/confirmer-mot-de-passe', requireUser, (req, res) => {
    res.render('compte/confirmer-mot-de-passe', { retour: returnOf(req.query.retour) });
  });
  router.post('/compte/confirmer-mot-de-passe', requireUser, async (req, res, next) => {
    const user = currentUserOf(res);
    const retour = returnOf((req.body as Record<string, unknown> | undefined)?.retour);
    const { value, errors, fieldErrors } = validateForm(confirmPasswordSchema, req.body);
    if (errors.length) return res.status(422).render('compte/confirmer-mot-de-passe', { retour, errors, fieldErrors });
    const right = await guarded(
      limits.signInFailuresByAccount,
      normaliseEmail(user.email),
      () => services.accounts.verifyCurrentPassword(user, value.password),
      (ok) => ok,
    );
    if (!right) {
      const message = 'Le mot de passe est incorrect';
      return res.status(422).render('compte/confirmer-mot-de-passe', {
        retour,
        errors: [{ field: 'password', message }],
        fieldErrors: { password: message },
      });
    }
    req.session.reauthAt = Date.now();
    req.session.save((error) => (error ? next(error) : res.redirect(303, retour)));
  });

  router.get('/compte/adresse-electronique', requireUser, requireRecentAuth(), (_req, res) => {
    res.render('compte/adresse-electronique', { values: {} });
  });
  router.post('/compte/adresse-electronique', requireUser, requireRecentAuth(), async (req, res) => {
    const user = currentUserOf(res);
    const { value, errors, fieldErrors } = validateForm(newEmailSchema, req.body);
    if (!errors.length && normaliseEmail(value.email) === normaliseEmail(user.email)) {
      const message = 'Saisissez une adresse différente de votre adresse actuelle';
      errors.push({ field: 'email', message });
      fieldErrors.email = message;
    }
    if (errors.length)
      return res.status(422).render('compte/adresse-electronique', { values: req.body as object, errors, fieldErrors });
    await consume(limits.emailsByAccount, `email_change:${user.id}`);
    await services.accounts.requestEmailChange(user, value.email);
    req.session.notice = `Un lien de confirmation a été envoyé à ${normaliseEmail(value.email)}. Votre adresse changera quand vous l’aurez ouvert (il est valable 24 heures).`;
    res.redirect(303, '/compte');
  });

  // the emailed link: the token leaves the URL (see email-links.ts); nothing is consumed by a GET
  const landing: RequestHandler = (req, res, next) => {
    const token = req.query.jeton;
    if (typeof token !== 'string') return next();
    req.session.emailToken = { purpose: 'email_change', token: token.slice(0, 100) };
    res.set('Referrer-Policy', 'no-referrer').redirect(303, '/adresse-electronique/confirmer');
  };
  const tokenOf = (session: { emailToken?: { purpose: string; token: string } }) =>
    session.emailToken?.purpose === 'email_change' ? session.emailToken.token : undefined;
  const invalid = (res: Parameters<RequestHandler>[1]) =>
    res
      .status(200)
      .set('Referrer-Policy', 'same-origin')
      .render('compte/lien-invalide', { purpose: 'email_change', values: {} });

  router.get('/adresse-electronique/confirmer', landing, async (req, res) => {
    const token = tokenOf(req.session);
    if (!token || !(await services.accounts.tokenIsValid(token, 'email_change'))) return invalid(res);
    res.set('Referrer-Policy', 'same-origin').render('compte/adresse-electronique-confirmer');
  });
  router.post('/adresse-electronique/confirmer', async (req, res) => {
    const token = tokenOf(req.session);
    const result = token
      ? await services.accounts.confirmEmailChange(token, { userId: req.session.userId, sid: req.sessionID })
      : undefined;
    delete req.session.emailToken;
    if (!result || result === 'taken') return invalid(res);
    res.render('compte/adresse-electronique-modifiee', { email: result.email });
  });
  return router;
}
