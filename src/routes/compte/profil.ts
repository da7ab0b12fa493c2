import { Router } from 'express';
import { passwordChangeSchema, profileSchema, IDLE_CHOICES } from '../../forms/accounts.ts';
import { validateForm } from '../../forms/validation.ts';
import { currentUserOf, requireUser, safeReturnPath } from '../../middleware/auth.ts';
import { normaliseEmail } from '../../domain/email.ts';
import { formatPhone } from '../../domain/phone.ts';
import { isStaff } from '../../domain/staff.ts';
import type { Services } from '../../services/index.ts';
import { describeUserAgent } from '../../domain/user-agent.ts';
import { keepSessionAlive, SESSION_EXTENDED } from '../../middleware/session-expiry.ts';
import { guarded, type RateLimits } from '../../middleware/rate-limit.ts';

/** "Mon compte": profile, session duration, password, sessions, and "Prolonger ma session". */
export function accountRoutes(services: Services, limits: RateLimits): Router {
  const router = Router();
  router.use(['/compte', '/session'], requireUser);

  router.get('/compte', async (req, res) => {
    const user = currentUserOf(res);
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('compte/profil', {
      values: {
        ...user,
        phone: user.phone ? formatPhone(user.phone) : '',
        idle: String(user.sessionIdleMinutes ?? 30),
      },
      organisations: await services.organisations.organisationsOf(user.id),
      idleChoices: IDLE_CHOICES,
      staff: isStaff(user),
      notice,
    });
  });
  router.post('/compte', async (req, res) => {
    const user = currentUserOf(res);
    if ((req.body as { action?: string }).action === 'prolonger') {
      await keepSessionAlive(req);
      return res.render('compte/profil', {
        values: req.body as object,
        fieldErrors: {},
        idleChoices: IDLE_CHOICES,
        organisations: await services.organisations.organisationsOf(user.id),
        staff: isStaff(user),
        notice: SESSION_EXTENDED,
      });
    }
    const { value, errors, fieldErrors } = validateForm(profileSchema, req.body);
    if (errors.length) {
      return res.status(422).render('compte/profil', {
        values: req.body as object,
        errors,
        fieldErrors,
        idleChoices: IDLE_CHOICES,
        organisations: await services.organisations.organisationsOf(user.id),
        staff: isStaff(user),
      });
    }
    await services.profile.update(user.id, {
      givenName: value.givenName,
      familyName: value.familyName,
      jobTitle: value.jobTitle || null,
      phone: value.phone || null,
      sessionIdleMinutes: value.idle,
    });
    req.session.notice = 'Vos informations ont été enregistrées.';
    res.redirect(303, '/compte');
  });

  router.get('/compte/mot-de-passe', (_req, res) => res.render('compte/mot-de-passe', { values: {} }));
  router.post('/compte/mot-de-passe', async (req, res) => {
    const user = currentUserOf(res);
    const { value, errors, fieldErrors } = validateForm(passwordChangeSchema, req.body);
    const problem = services.accounts.passwordProblem(value.password ?? '', [
      user.email,
      user.givenName,
      user.familyName,
    ]);
    if (problem) {
      errors.push({ field: 'password', message: problem });
      fieldErrors.password = problem;
    }
    if (errors.length) return res.status(422).render('compte/mot-de-passe', { values: {}, errors, fieldErrors });
    const changed = await guarded(
      limits.signInFailuresByAccount,
      normaliseEmail(user.email),
      () => services.accounts.changePassword(user, value.current, value.password, req.sessionID),
      (r) => r === 'ok',
    );
    if (changed === 'wrong_current') {
      const message = 'Le mot de passe actuel est incorrect';
      return res.status(422).render('compte/mot-de-passe', {
        values: {},
        errors: [{ field: 'current', message }],
        fieldErrors: { current: message },
      });
    }
    req.session.notice = 'Votre mot de passe a été modifié. Vos autres sessions ont été fermées.';
    res.redirect(303, '/compte');
  });

  router.get('/compte/sessions', async (req, res) => {
    const sessions = await services.profile.sessions(currentUserOf(res).id);
    res.render('compte/sessions', {
      sessions: sessions.map((s) => ({
        ...s,
        browser: describeUserAgent(s.userAgent),
        current: s.sid === req.sessionID,
      })),
    });
  });
  router.post('/compte/sessions/fermer-les-autres', async (req, res) => {
    const count = await services.profile.endOtherSessions(currentUserOf(res).id, req.sessionID);
    req.session.notice = count ? `${count} autre(s) session(s) fermée(s).` : 'Aucune autre session n’était ouverte.';
    res.redirect(303, '/compte');
  });

  /**
   * "Prolonger ma session": the session row is saved now (touches are otherwise throttled, see middleware/session.ts),
   * then 204 for scripts (htmx, or fetch asking for JSON: the « Rester connecté » button of the expiry warning) and
   * 303 back to the page for the plain form.
   */
  router.post('/session/prolonger', async (req, res) => {
    await keepSessionAlive(req);
    res.vary('HX-Request').vary('Accept');
    if (res.locals.isHtmx || req.accepts(['text/html', 'application/json']) === 'application/json')
      return res.status(204).end();
    res.redirect(303, safeReturnPath((req.body as Record<string, unknown> | undefined)?.retour) ?? '/compte');
  });
  return router;
}
