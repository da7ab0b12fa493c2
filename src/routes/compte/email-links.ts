import { Router, type RequestHandler } from 'express';
import { emailOnlySchema, invitationSchema, newPasswordSchema } from '../../forms/accounts.ts';
import { validateForm } from '../../forms/validation.ts';
import { consume, type RateLimits } from '../../middleware/rate-limit.ts';
import { normaliseEmail } from '../../domain/email.ts';
import type { Services } from '../../services/index.ts';

/**
 * An emailed link carries its token once: the landing keeps it in the session and redirects to the same path
 * without it, so that it never stays in the address bar, history or Referer. Nothing is consumed by a GET (mail
 * scanners follow links): the page asks for a click.
 */
function landing(purpose: 'activation' | 'reset' | 'invitation', path: string): RequestHandler {
  return (req, res, next) => {
    const token = req.query.jeton;
    if (typeof token !== 'string') return next();
    req.session.emailToken = { purpose, token: token.slice(0, 100) };
    res.set('Referrer-Policy', 'no-referrer').redirect(303, path);
  };
}

function tokenOf(session: { emailToken?: { purpose: string; token: string } }, purpose: string): string | undefined {
  return session.emailToken?.purpose === purpose ? session.emailToken.token : undefined;
}

/** Activation, password reset and a contact's invitation, all from emailed links. */
export function emailLinkRoutes(services: Services, limits: RateLimits): Router {
  const router = Router();
  const invalid = (res: Parameters<RequestHandler>[1], purpose: 'activation' | 'reset' | 'invitation') =>
    res.status(200).set('Referrer-Policy', 'same-origin').render('compte/lien-invalide', { purpose, values: {} });

  router.get('/activation', landing('activation', '/activation'), async (req, res) => {
    const token = tokenOf(req.session, 'activation');
    if (!token || !(await services.accounts.tokenIsValid(token, 'activation'))) return invalid(res, 'activation');
    res.set('Referrer-Policy', 'same-origin').render('compte/activation');
  });
  router.post('/activation', async (req, res) => {
    const token = tokenOf(req.session, 'activation');
    const result = token ? await services.accounts.activate(token) : undefined;
    delete req.session.emailToken;
    if (!result) return invalid(res, 'activation');
    res.render('compte/activation-resultat', { activated: result.user, join: result.join });
  });
  router.post('/activation/renvoyer', async (req, res) => {
    const { value, errors, fieldErrors } = validateForm(emailOnlySchema, req.body);
    if (errors.length)
      return res
        .status(422)
        .render('compte/lien-invalide', { purpose: 'activation', values: req.body as object, errors, fieldErrors });
    await consume(limits.emailsByAccount, `activation:${normaliseEmail(value.email)}`);
    await services.accounts.resendActivation(value.email);
    res.redirect(303, '/inscription/confirmation');
  });

  router.get('/mot-de-passe-oublie', (_req, res) => res.render('compte/mot-de-passe-oublie', { values: {} }));
  router.post('/mot-de-passe-oublie', async (req, res) => {
    const { value, errors, fieldErrors } = validateForm(emailOnlySchema, req.body);
    if (errors.length)
      return res.status(422).render('compte/mot-de-passe-oublie', { values: req.body as object, errors, fieldErrors });
    await consume(limits.emailsByAccount, `reset:${normaliseEmail(value.email)}`);
    await services.accounts.requestReset(value.email);
    res.redirect(303, '/mot-de-passe-oublie/envoye');
  });
  router.get('/mot-de-passe-oublie/envoye', (_req, res) => res.render('compte/mot-de-passe-oublie-envoye'));

  router.get('/mot-de-passe/nouveau', landing('reset', '/mot-de-passe/nouveau'), async (req, res) => {
    const token = tokenOf(req.session, 'reset');
    if (!token || !(await services.accounts.tokenIsValid(token, 'reset'))) return invalid(res, 'reset');
    res.set('Referrer-Policy', 'same-origin').render('compte/nouveau-mot-de-passe', { values: {} });
  });
  router.post('/mot-de-passe/nouveau', async (req, res) => {
    const token = tokenOf(req.session, 'reset');
    if (!token) return invalid(res, 'reset');
    const { value } = validateForm(newPasswordSchema, req.body);
    const problem = services.accounts.passwordProblem(value.password, []);
    if (problem) {
      const errors = [{ field: 'password', message: problem }];
      return res
        .status(422)
        .render('compte/nouveau-mot-de-passe', { values: {}, errors, fieldErrors: { password: problem } });
    }
    if (!(await services.accounts.resetPassword(token, value.password))) return invalid(res, 'reset');
    req.session.regenerate(() => {
      req.session.notice = 'Votre mot de passe a été modifié. Connectez-vous avec le nouveau.';
      res.redirect(303, '/connexion');
    });
  });

  // A contact named on an accepted request: the terms and a password, then sign-in (their dashboard comes first).
  router.get('/invitation', landing('invitation', '/invitation'), async (req, res) => {
    const token = tokenOf(req.session, 'invitation');
    const invitee = token ? await services.invitations.invitee(token) : undefined;
    if (!invitee) return invalid(res, 'invitation');
    res.set('Referrer-Policy', 'same-origin').render('compte/invitation', { invitee, values: {} });
  });
  router.post('/invitation', async (req, res) => {
    const token = tokenOf(req.session, 'invitation');
    const invitee = token ? await services.invitations.invitee(token) : undefined;
    if (!token || !invitee) return invalid(res, 'invitation');
    const { value } = validateForm(invitationSchema, req.body);
    const errors = [
      value.cgu !== 'oui' && {
        field: 'cgu',
        message: 'Cochez la case pour accepter les conditions générales d’utilisation de l’API Entreprise',
      },
      { field: 'password', message: services.accounts.passwordProblem(value.password, [invitee.email]) },
    ].filter((e): e is { field: string; message: string } => Boolean(e && e.message));
    if (errors.length)
      return res.status(422).render('compte/invitation', {
        invitee,
        values: { cgu: value.cgu },
        errors,
        fieldErrors: Object.fromEntries(errors.map((e) => [e.field, e.message])),
      });
    if (!(await services.invitations.accept(token, value.password))) return invalid(res, 'invitation');
    req.session.regenerate(() => {
      req.session.notice =
        'Votre compte est activé. Connectez-vous avec votre adresse électronique et ce mot de passe.';
      res.redirect(303, '/connexion');
    });
  });
  return router;
}
