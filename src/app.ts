import express, { type Express } from 'express';
import type nunjucks from 'nunjucks';
import type { Config } from './config.ts';
import type { Db } from './db/knex.ts';
import type { Logger } from './logger.ts';
import type { AssetUrls } from './middleware/assets.ts';
import { loadCurrentUser } from './middleware/auth.ts';
import { compressWholeAnswers } from './middleware/compression.ts';
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
import { sessionStack } from './middleware/session-stack.ts';
import { sessionExpiryLocals } from './middleware/session-expiry.ts';
import { setUpViews } from './middleware/views.ts';
import { adminArea } from './routes/admin/index.ts';
import { ownAddressesOnly, type AreaDeps } from './routes/area.ts';
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
  app.set('etag', false); // pages carry a fresh CSP nonce and assets a content hash: an ETag would never match
  app.set('trust proxy', config.trustProxy);

  app.use(requestLogging(logger));
  app.use(healthRoutes(db, config.dbTimeoutMs));
  // Programs with credentials: no session, CSRF or HTML, and headers of its own (no CSP nonce to make).
  app.use('/api', createApi(config, logger, services.introspection));
  app.use(securityHeaders(config));
  app.use(compressWholeAnswers);
  app.use(assets.router);
  app.use(setUpViews(app, views));
  if (config.env !== 'production') app.use(requireRegisteredPages);
  app.use(htmxDetection);
  app.use(refuseControlCharacters);
  const session = visitorSession(config, services, sessions);

  const deps: AreaDeps = { config, services, limits: createRateLimits(db), views, session };
  // Each area sees only the requests for its own addresses (the first segments of its routes).
  app.use(ownAddressesOnly(publicArea(deps))); // pages anyone reads: the session only when the browser has one
  app.use(session.always);
  app.use(ownAddressesOnly(accountArea(deps)));
  app.use(ownAddressesOnly(organisationArea(deps)));
  app.use(ownAddressesOnly(requestArea(deps)));
  app.use(ownAddressesOnly(instructionArea(deps)));
  app.use(ownAddressesOnly(dashboardArea(deps)));
  app.use(ownAddressesOnly(adminArea(deps)));
  if (config.devPages) app.use(ownAddressesOnly(devArea(deps)));

  app.use(notFound);
  app.use(errorPages);
  return app;
}

/** What a page that knows its visitor needs, in order: body, session, CSRF token, user, session expiry, form stash. */
function visitorSession(config: Config, services: Services, sessions: SessionSetup) {
  return sessionStack(sessionCookieName(config), [
    express.urlencoded({ extended: false, limit: config.bodyLimit, parameterLimit: 500 }),
    sessions.middleware,
    expiredSessionPosts(services, config),
    multipartForms(ATTACHMENT_UPLOAD_PATH, UPLOAD_LIMITS),
    formBodiesOnly(ATTACHMENT_UPLOAD_PATH),
    csrfProtection(config.baseUrl.origin),
    loadCurrentUser(services.accounts, config),
    sessionExpiryLocals,
    formStashLocals(services, config),
  ]);
}
