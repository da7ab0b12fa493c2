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
import type { SessionSetup } from './middleware/session.ts';
import { sessionExpiryLocals } from './middleware/session-expiry.ts';
import { setUpViews } from './middleware/views.ts';
import { adminArea } from './routes/admin/index.ts';
import type { AreaDeps } from './routes/area.ts';
import { accountArea } from './routes/compte/index.ts';
import { ATTACHMENT_UPLOAD_PATH, requestArea, UPLOAD_LIMITS } from './routes/demandes/index.ts';
import { devArea } from './routes/dev/index.ts';
import { instructionArea } from './routes/instruction/index.ts';
import { organisationArea } from './routes/organisations/index.ts';
import { publicArea } from './routes/public/index.ts';
import { dashboardArea } from './routes/tableau-de-bord/index.ts';
import { createApi } from './api/index.ts';
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
  app.use('/api', createApi(logger)); // programs with a token: no session, no CSRF, no HTML
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

  const deps: AreaDeps = { config, services, limits: createRateLimits(db), views };
  app.use(publicArea(deps));
  app.use(accountArea(deps));
  app.use(organisationArea(deps));
  app.use(requestArea(deps));
  app.use(instructionArea(deps));
  app.use(dashboardArea(deps));
  app.use(adminArea(deps));
  if (config.devPages) app.use(devArea(deps));

  app.use(notFound);
  app.use(errorPages);
  return app;
}
