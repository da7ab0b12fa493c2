import { Router } from 'express';
import { sessionCookieName } from '../../middleware/session.ts';
import type { AreaDeps } from '../area.ts';
import { emailChangeRoutes } from './adresse-electronique.ts';
import { signInRoutes } from './connexion.ts';
import { secondFactorRoutes } from './double-authentification.ts';
import { recoveryCodeRoutes } from './codes-de-secours.ts';
import { emailLinkRoutes } from './email-links.ts';
import { signUpRoutes } from './inscription.ts';
import { accountRoutes } from './profil.ts';

/**
 * The account: sign-up, activation, sign-in and its second factor (with recovery codes), reset, profile, sessions,
 * email change. Its
 * pages are for visitors as much as for signed-in users: each route that needs a user says so itself.
 */
export function accountArea({ services, limits, config }: AreaDeps): Router {
  const router = Router();
  router.use(
    signUpRoutes(services, limits),
    signInRoutes(services, limits, sessionCookieName(config)),
    secondFactorRoutes(services, limits),
    recoveryCodeRoutes(services),
    emailLinkRoutes(services, limits),
    emailChangeRoutes(services, limits),
    accountRoutes(services, limits),
  );
  return router;
}
