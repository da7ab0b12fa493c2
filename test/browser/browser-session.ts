/**
 * What the focused browser files (attachments.test.ts, autosave.test.ts) share with the journey: the real app on its
 * own database, Chromium, a member of the commune of Clamart signed in through the sign-in form, a draft request,
 * and a context per mode (the CSP listener with JavaScript).
 */
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CHROMIUM_PATH, CSP_LISTENER, MISSING_CHROMIUM, launchChromium, type Mode } from '../helpers/browser.ts';
import { CLAMART, createAccount, createRequest, type FixtureAccount } from '../helpers/fixtures.ts';
import { nextCode, SECOND_FACTOR_PATH } from '../helpers/second-factor.ts';

export { CLAMART };
export const chromiumMissing = !existsSync(CHROMIUM_PATH);
/** The `skip` option of a browser test: skipped, saying so, without Chromium outside CI; failed in CI. */
export const skipWithoutChromium = chromiumMissing && !process.env.CI ? MISSING_CHROMIUM : false;

export type Session = {
  app: TestApp;
  base: string;
  browser: Browser;
  account: FixtureAccount;
  stop: () => Promise<void>;
};

export async function startSession(env: Record<string, string> = {}): Promise<Session> {
  if (chromiumMissing)
    throw new Error(
      `Chromium absent (${CHROMIUM_PATH}) alors que CI est défini : installez-le avec apt-get install -y chromium`,
    );
  const app = await startTestApp(env);
  const { url: base } = await app.listen();
  const browser = await launchChromium();
  const account = await createAccount(app.db, { email: 'marie.durand@clamart.fr', siret: CLAMART });
  return {
    app,
    base,
    browser,
    account,
    stop: async () => {
      await browser.close();
      await app.stop();
    },
  };
}

/**
 * Signs a context in through the sign-in form, as a person would; staff also type the code of their authenticator
 * (computed from the fixture secret, see test/helpers/second-factor.ts), unless `passwordOnly` (left on the code page).
 */
export async function signIn(
  context: BrowserContext,
  base: string,
  account: FixtureAccount,
  app?: TestApp,
  options: { passwordOnly?: boolean } = {},
): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${base}/connexion`);
  await page.fill('#email', account.email);
  await page.fill('#password', account.password);
  const arrived = (url: URL) => ['/demandes', '/tableau-de-bord', '/compte', SECOND_FACTOR_PATH].includes(url.pathname);
  await Promise.all([
    page.waitForURL(arrived),
    page.getByRole('button', { name: 'Se connecter', exact: true }).click(),
  ]);
  if (new URL(page.url()).pathname === SECOND_FACTOR_PATH && !options.passwordOnly) {
    if (!app) throw new Error('Un compte du personnel se connecte avec son second facteur : passez l’application');
    await page.fill('#code', await nextCode(app, account.email));
    await Promise.all([
      page.waitForURL(`${base}/demandes`),
      page.getByRole('button', { name: 'Valider', exact: true }).click(),
    ]);
  }
  await page.close();
}

/** A signed-in context for `mode` (CSP violations recorded with JavaScript). */
export async function signedInContext(session: Session, mode: Mode): Promise<BrowserContext> {
  const context = await session.browser.newContext({ javaScriptEnabled: mode === 'js-on', locale: 'fr-FR' });
  if (mode === 'js-on') await context.addInitScript(CSP_LISTENER);
  await signIn(context, session.base, session.account);
  return context;
}

/** A new draft request of the signed-in member: its id. */
export function newRequest(session: Session): Promise<string> {
  return createRequest(session.app.db, session.account.id, CLAMART);
}

export async function requestRow(
  session: Session,
  id: string,
): Promise<{ version: number; answers: Record<string, Record<string, unknown>> }> {
  return session.app.db('access_requests').where({ id }).first('version', 'answers');
}
