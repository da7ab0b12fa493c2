/**
 * The staff second factor in Chromium, JavaScript disabled then enabled, as a new instructor makes it: sign-in, the
 * enrolment page (QR code and key), the first code, the ten recovery codes shown once, then later a sign-in with a
 * recovery code reached from the verification page's link (a wrong one refused first), and a new set made from
 * « Mon compte ». No `page.goto` past the sign-in page. Each state through axe, html-validate, the Nu checker and CSP.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { totp } from '../../src/domain/totp.ts';
import { CSP_LISTENER, MODES, type Mode } from '../helpers/browser.ts';
import { createAccount, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import { emailsTo } from '../helpers/mailbox.ts';
import { skipWithoutChromium, startSession, type Session } from './browser-session.ts';
import {
  checkState,
  clickAndWait,
  currentDom,
  emptyTotals,
  errorSummaryProblems,
  finishPart,
  type Markup,
} from './journey-checks.ts';

const totals = emptyTotals();
let session: Session | undefined;
after(() => session?.stop());

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const link = (page: Page, name: string | RegExp, within = 'main') =>
  page.locator(within).getByRole('link', { name, exact: typeof name === 'string' });
const shownCodes = (page: Page) => page.locator('#codes li').allTextContents();

async function signInWithPassword(page: Page, email: string): Promise<void> {
  await page.fill('#email', email);
  await page.fill('#password', FIXTURE_PASSWORD);
  await clickAndWait(page, button(page, 'Se connecter'));
}

async function journey(page: Page, mode: Mode, email: string, problems: string[]): Promise<void> {
  const check = async (where: string, html: string | Markup) =>
    problems.push(
      ...(await checkState(
        page,
        mode,
        `${where} (${mode})`,
        typeof html === 'string' ? { server: html } : html,
        totals,
      )),
    );
  const go = async (target: Locator) => clickAndWait(page, target);

  // Enrolment: the key beside its QR code, then the first code of the app.
  await page.goto(`${session!.base}/connexion`);
  await signInWithPassword(page, email);
  assert.equal(new URL(page.url()).pathname, '/compte/double-authentification');
  await check('activation de la double authentification', await currentDom(page));
  const secret = (await page.locator('.signup-totp-secret').textContent())!.replace(/\s/g, '');
  await page.fill('#code', totp(secret, Date.now()));
  const enrolled = await go(button(page, 'Activer'));
  assert.equal(enrolled.path, '/compte/codes-de-secours');
  await check('codes de secours affichés une fois', enrolled.html);
  const codes = await shownCodes(page);
  assert.equal(codes.length, 10);
  assert.match(
    (await page.locator('.fr-alert[role="status"]').textContent()) ?? '',
    /double authentification est activée/,
  );
  const onward = await go(link(page, 'J’ai noté mes codes, continuer'));
  assert.equal(onward.path, '/demandes');
  await go(button(page, 'Se déconnecter'));

  // Later, without the app: the verification page's link, a wrong code, then a right one.
  await go(link(page, 'Se connecter', 'header'));
  await signInWithPassword(page, email);
  assert.equal(new URL(page.url()).pathname, '/compte/double-authentification');
  await check('vérification du code', await currentDom(page));
  const form = await go(link(page, 'Utiliser un code de secours'));
  assert.equal(form.path, '/compte/double-authentification/code-de-secours');
  await check('code de secours', form.html);
  await page.fill('#code', 'AAAAA-BBBBB');
  const refused = await go(button(page, 'Valider'));
  assert.equal(refused.posted, 422);
  await check('code de secours refusé', refused.html);
  const summary = await errorSummaryProblems(page, mode, `code de secours refusé (${mode})`);
  problems.push(...summary.problems);
  await page.fill('#code', codes[0]!.toLowerCase());
  const passed = await go(button(page, 'Valider'));
  assert.equal(passed.posted, 303);
  assert.equal(passed.path, '/demandes');
  assert.match(
    (await page.locator('.fr-alert[role="status"]').textContent()) ?? '',
    /Il vous reste 9 codes de secours/,
  );
  await check('connecté avec un code de secours', passed.html);
  const told = (await emailsTo(session!.app.db, email)).filter((m) => m.template === 'code-de-secours-utilise');
  assert.equal(told.length, 1, 'the owner is told');

  // A new set from « Mon compte » (the password was typed a moment ago: no confirmation asked).
  await go(link(page, /^Mon compte/, 'header'));
  const status = await go(link(page, 'Mes codes de secours de la double authentification'));
  assert.equal(status.path, '/compte/codes-de-secours');
  assert.match(await page.locator('main').innerText(), /9 codes de secours inutilisés sur 10/);
  await check('état des codes de secours', status.html);
  const made = await go(button(page, 'Créer de nouveaux codes de secours'));
  assert.equal(made.posted, 303);
  const fresh = await shownCodes(page);
  assert.equal(fresh.length, 10);
  assert.ok(
    fresh.every((code) => !codes.includes(code)),
    'a new set',
  );
  await check('nouveaux codes de secours', made.html);
}

await test(
  'navigateur : double authentification et codes de secours, JS désactivé puis activé',
  { skip: skipWithoutChromium, timeout: 300_000 },
  async (t) => {
    const started = Date.now();
    session = await startSession();
    for (const mode of MODES) {
      const email = `instructeur.${mode}@api-entreprise.gouv.fr`;
      await createAccount(session.app.db, { email, roles: ['instructor'], totp: false });
      const context = await session.browser.newContext({ javaScriptEnabled: mode === 'js-on', locale: 'fr-FR' });
      if (mode === 'js-on') await context.addInitScript(CSP_LISTENER);
      try {
        const page = await context.newPage();
        await t.test(`activation, codes, connexion avec un code, nouveaux codes (${mode})`, async () => {
          const problems: string[] = [];
          await journey(page, mode, email, problems);
          if (problems.length) assert.fail(`${problems.length} problème(s) :\n  - ${problems.join('\n  - ')}`);
        });
      } finally {
        await context.close();
      }
    }
    await finishPart(t, 'second-factor', totals, started);
  },
);
