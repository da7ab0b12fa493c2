import { Router } from 'express';
import { STAFF_ROLES } from '../../domain/staff.ts';
import {
  currentUserOf,
  HOME_PATH,
  requireRecentAuth,
  requireRole,
  requireSecondFactor,
  safeReturnPath,
} from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';
import { RECOVERY_CODES_PATH } from './double-authentification.ts';

/**
 * The recovery codes of a staff member's second factor: how many are left, the codes themselves once, right after
 * they were made (at enrolment, or here after the password was typed again), and a new set that replaces the old.
 */
export function recoveryCodeRoutes(services: Services): Router {
  const router = Router();
  const staffOnly = [requireRole(...STAFF_ROLES), requireSecondFactor];

  router.get(RECOVERY_CODES_PATH, ...staffOnly, async (req, res) => {
    const user = currentUserOf(res);
    const codes = services.mfa.shownRecoveryCodes(user.id, req.session.recoveryCodes);
    const { notice } = req.session;
    const next = codes ? (safeReturnPath(req.session.returnTo) ?? HOME_PATH) : undefined;
    delete req.session.recoveryCodes; // shown once
    delete req.session.notice;
    if (codes) delete req.session.returnTo;
    res.render('compte/codes-de-secours', {
      codes,
      next,
      notice,
      status: await services.mfa.recoveryStatus(user.id),
    });
  });

  router.post(RECOVERY_CODES_PATH, ...staffOnly, requireRecentAuth(), async (req, res, next) => {
    const user = currentUserOf(res);
    const { sealed } = await services.mfa.newRecoveryCodes(user.id);
    req.session.recoveryCodes = sealed;
    req.session.notice = 'De nouveaux codes de secours sont créés\u00a0: les précédents ne fonctionnent plus.';
    req.session.save((error) => (error ? next(error) : res.redirect(303, RECOVERY_CODES_PATH)));
  });
  return router;
}
