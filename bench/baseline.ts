import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { loadConfig } from '../src/config.ts';
import { staticAssets } from '../src/middleware/assets.ts';
import { createViewEnvironment } from '../src/middleware/views.ts';
import { closeServer } from '../src/runtime.ts';

/** The view SignUp renders for GET / (see STATIC_PAGES in src/routes/public/pages.ts). */
export const BASELINE_VIEW = 'public/accueil';

/** The locals the real middleware chain would give the page: a fixed nonce instead of a random one. */
const PAGE_LOCALS = { cspNonce: 'bench-fixed-nonce', currentPath: '/', csrfToken: 'x' } as const;

export type RunningBaseline = { url: string; close: () => Promise<void> };

/**
 * Bare Express 5 + Nunjucks rendering the home page with SignUp's own view environment and nothing else:
 * no helmet, no session, no compression, no logging. It is the ceiling SignUp's GET / is compared with.
 */
export function createBaselineApp(): Express {
  // NODE_ENV=test: templates compiled once and cached, as in production (development recompiles them per request)
  const config = loadConfig({ NODE_ENV: 'test' });
  const views = createViewEnvironment(config, staticAssets().urls);
  const app = express();
  app.disable('x-powered-by');
  views.express(app);
  app.set('view engine', 'njk');
  app.get('/', (_req, res) => {
    res.render(BASELINE_VIEW, PAGE_LOCALS);
  });
  return app;
}

/** Starts the baseline on 127.0.0.1, on a port the system picks. */
export function startBaseline(): Promise<RunningBaseline> {
  const app = createBaselineApp();
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => {
      if (error) return reject(error);
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => closeServer(server, 2_000) });
    });
  });
}
