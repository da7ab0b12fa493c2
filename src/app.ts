import compression from 'compression';
import express, { type Express } from 'express';
import type nunjucks from 'nunjucks';
import type { Config } from './config.ts';
import type { Db } from './db/knex.ts';
import type { Logger } from './logger.ts';
import type { AssetUrls } from './middleware/assets.ts';
import { loadCurrentUser } from './middleware/auth.ts';
import { csrfProtection } from './middleware/csrf.ts';
import { errorPages, notFound } from './middleware/errors.ts';
import { refuseControlCharacters } from './middleware/control-characters.ts';
import { formBodiesOnly } from './middleware/form-body.ts';
import { expiredSessionPosts, formStashLocals } from './middleware/form-stash.ts';
import { healthRoutes } from './middleware/health.ts';
import { htmxDetection } from './middleware/htmx.ts';
import { multipartForms } from './middleware/multipart.ts';
import { requireRegisteredPages } from './middleware/page-registry.ts';
import { requestLogging } from './middleware/request-logging.ts';
import { securityHeaders } from './middleware/security.ts';
import { createRateLimits } from './middleware/rate-limit.ts';
import { sessionCookieName, type SessionSetup } from './middleware/session.ts';
import { sessionExpiryLocals } from './middleware/session-expiry.ts';
import { setUpViews } from './middleware/views.ts';
import { adminRoutes } from './routes/admin.ts';
import { signInRoutes } from './routes/compte/connexion.ts';
import { secondFactorRoutes } from './routes/compte/double-authentification.ts';
import { emailLinkRoutes } from './routes/compte/email-links.ts';
import { signUpRoutes } from './routes/compte/inscription.ts';
import { accountRoutes } from './routes/compte/profil.ts';
import { emailChangeRoutes } from './routes/compte/adresse-electronique.ts';
import { requestRoutes } from './routes/demandes.ts';
import { ATTACHMENT_UPLOAD_PATH, attachmentRoutes, UPLOAD_LIMITS } from './routes/demandes-pieces-jointes.ts';
import { requestSummaryRoutes } from './routes/demandes-recapitulatif.ts';
import { devRoutes } from './routes/dev.ts';
import { directorySearchRoutes } from './routes/directory-search.ts';
import { eligibilityRoutes } from './routes/eligibility.ts';
import { organisationRoutes } from './routes/organisations.ts';
import { publicRoutes } from './routes/public.ts';
import type { Services } from './services/index.ts';

export type AppDeps = {
  config: Config;
  db: Db;
  logger: Logger;
  services: Services;
  views: nunjucks.Environment;
  assets: { router: express.Router; urls: AssetUrls };
  sessions: SessionSetup;
};

/** The service, in the order a request meets it. */
export function createApp({ config, db, logger, services, views, assets, sessions }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  app.use(requestLogging(logger));
  app.use(healthRoutes(db, config.dbTimeoutMs));
  app.use(securityHeaders(config));
  app.use(compression());
  app.use(assets.router);
  app.use(setUpViews(app, views));
  if (config.env !== 'production') app.use(requireRegisteredPages);
  app.use(htmxDetection);
  app.use(refuseControlCharacters);
  app.use(express.urlencoded({ extended: false, limit: config.bodyLimit, parameterLimit: 500 }));
  app.use(sessions.middleware);
  app.use(expiredSessionPosts(services, config));
  app.use(multipartForms(ATTACHMENT_UPLOAD_PATH, UPLOAD_LIMITS));
  app.use(formBodiesOnly(ATTACHMENT_UPLOAD_PATH));
  app.use(csrfProtection(config.baseUrl.origin));
  app.use(loadCurrentUser(services.accounts, config));
  app.use(sessionExpiryLocals);
  app.use(formStashLocals(services, config));

  const limits = createRateLimits(db);
  app.use(publicRoutes(services));
  app.use(eligibilityRoutes(services));
  app.use(directorySearchRoutes(db));
  app.use(signUpRoutes(services, limits));
  app.use(signInRoutes(services, limits, sessionCookieName(config)));
  app.use(secondFactorRoutes(services, limits));
  app.use(emailLinkRoutes(services, limits));
  app.use(emailChangeRoutes(services, limits));
  app.use(accountRoutes(services, db, limits));
  app.use(organisationRoutes(services, db));
  app.use(requestSummaryRoutes(services));
  app.use(attachmentRoutes(services));
  app.use(requestRoutes(services));
  app.use(adminRoutes(services, db));
  if (config.devPages) app.use(devRoutes(services, views));

  app.use(notFound);
  app.use(errorPages);
  return app;
}
