/**
 * From a contact's invitation email to a working token, in Chromium, JavaScript disabled then enabled, as the technical
 * contact of an accepted request makes it: the emailed link, the terms and the password (refused once), sign-in, the
 * dashboard, the tokens page, a token created (a missing name refused once) and shown once, checked by the gateway's
 * introspection, then revoked with its confirmation. No `page.goto` past the emailed link. Each state through axe,
 * html-validate, the Nu checker and CSP.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { CSP_LISTENER, MODES, type Mode } from '../helpers/browser.ts';
import { CLAMART, COMPLETE_ANSWERS, createAccount, createRequest } from '../helpers/fixtures.ts';
import { linkIn } from '../helpers/mailbox.ts';
import { signedInClient } from '../helpers/sign-in.ts';
import { skipWithoutChromium, startSession, type Session } from './browser-session.ts';
import {
  checkState,
  clickAndWait,
  currentDom,
  emptyTotals,
  errorSummaryProblems,
  finishPart,
  tick,
  type Markup,
} from './journey-checks.ts';

const totals = emptyTotals();
let session: Session | undefined;
after(() => session?.stop());

const PASSWORD = 'le contact technique choisit cette phrase';
const GATEWAY = `Basic ${Buffer.from('passerelle:dev-only-introspection-secret-not-for-production').toString('base64')}`;
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const link = (page: Page, name: string | RegExp, within = 'main') =>
  page.locator(within).getByRole('link', { name, exact: typeof name === 'string' });

/** The gateway's question, as API Entreprise's gateway asks it. */
async function introspect(token: string): Promise<{ active: boolean; sub?: string }> {
  const answer = await fetch(`${session!.base}/api/v1/introspection`, {
    method: 'POST',
    headers: { Authorization: GATEWAY, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  assert.equal(answer.status, 200);
  return (await answer.json()) as { active: boolean; sub?: string };
}

/** A request naming `technical` as its technical contact, submitted by its applicant and validated by instruction. */
async function acceptedRequest(technical: string, title: string): Promise<void> {
  const { app } = session!;
  const answers = {
    ...COMPLETE_ANSWERS,
    demarche: { ...COMPLETE_ANSWERS.demarche, title },
    contacts: { ...COMPLETE_ANSWERS.contacts, technicalEmail: technical },
  };
  const id = await createRequest(app.db, session!.account.id, CLAMART);
  await app
    .db('access_requests')
    .where({ id })
    .update({ answers: JSON.stringify(answers), title });
  const applicant = await signedInClient(app.app, session!.account.email);
  await applicant.get(`/demandes/${id}/recapitulatif`);
  await applicant.submit({ certification: 'oui' }, { selector: `form[action="/demandes/${id}/soumettre"]` });
  const instructor = await signedInClient(app.app, 'irene@api-entreprise.gouv.fr');
  await instructor.get(`/instruction/demandes/${id}/valider`);
  assert.equal((await instructor.submit({}, { selector: 'main form' })).status, 303);
}

async function journey(page: Page, mode: Mode, email: string, title: string, problems: string[]): Promise<void> {
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

  // The emailed link: the terms and a password, refused once.
  await page.goto(session!.base + (await linkIn(session!.app.db, email, 'invitation-contact')));
  assert.equal(new URL(page.url()).pathname, '/invitation');
  assert.equal(new URL(page.url()).search, '', 'le jeton du lien a quitté l’adresse');
  await check('invitation', await currentDom(page));
  await page.fill('#password', 'court');
  const refused = await go(button(page, 'Activer mon compte'));
  assert.equal(refused.posted, 422);
  await check('invitation refusée', refused.html);
  problems.push(...(await errorSummaryProblems(page, mode, `invitation refusée (${mode})`)).problems);
  await tick(page, 'checkbox', /J’ai lu et j’accepte/);
  await page.fill('#password', PASSWORD);
  const activated = await go(button(page, 'Activer mon compte'));
  assert.equal(activated.posted, 303);
  assert.equal(activated.path, '/connexion');
  assert.match(await page.locator('main').innerText(), /Votre compte est activé/);
  await check('compte activé, connexion', activated.html);

  // Sign-in: the dashboard first, then its tokens.
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  const dashboard = await go(button(page, 'Se connecter'));
  assert.equal(dashboard.path, '/tableau-de-bord');
  assert.match(await page.locator('main').innerText(), new RegExp(title));
  await check('tableau de bord', dashboard.html);
  // The dashboard is in the navigation too: back to it from the header, then on to the tokens.
  await go(link(page, 'Mes demandes', 'header nav'));
  const again = await go(link(page, 'Tableau de bord', 'header nav'));
  assert.equal(again.path, '/tableau-de-bord');
  const tokens = await go(link(page, 'Gérer les jetons d’accès'));
  assert.equal(tokens.path, '/tableau-de-bord/jetons');
  await check('jetons', tokens.html);
  const form = await go(link(page, `Créer un jeton pour ${title}`));
  assert.equal(form.path, '/tableau-de-bord/jetons/nouveau');
  await check('créer un jeton', form.html);
  const missing = await go(button(page, 'Créer le jeton'));
  assert.equal(missing.posted, 422);
  await check('créer un jeton, nom manquant', missing.html);
  problems.push(...(await errorSummaryProblems(page, mode, `jeton sans nom (${mode})`)).problems);
  await page.fill('#nom', `Production ${mode}`);
  const made = await go(button(page, 'Créer le jeton'));
  assert.equal(made.posted, 303);
  assert.equal(made.path, '/tableau-de-bord/jetons/nouveau-jeton');
  await check('jeton créé', made.html);
  const token = await page.locator('#jeton-valeur').inputValue();
  assert.match(token, /^sgu_/);
  const copy = button(page, 'Copier le jeton');
  if (mode === 'js-on') {
    await copy.click();
    await page.locator('#jeton-statut', { hasText: 'Jeton copié' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
  } else assert.equal(await copy.isVisible(), false, 'sans JS, pas de bouton qui ne ferait rien');

  // The gateway: the token works, for Clamart's SIRET.
  const answer = await introspect(token);
  assert.equal(answer.active, true);
  assert.equal(answer.sub, CLAMART);

  // Revoked with its confirmation: it stops.
  await go(link(page, 'Revenir aux jetons'));
  assert.ok(!(await page.content()).includes(token), 'jamais réaffiché');
  const confirm = await go(link(page, `Révoquer le jeton Production ${mode}`));
  assert.match(confirm.path, /^\/tableau-de-bord\/jetons\/\d+\/revoquer$/);
  await check('révoquer un jeton', confirm.html);
  const revoked = await go(button(page, 'Révoquer le jeton'));
  assert.equal(revoked.posted, 303);
  assert.match(await page.locator('main').innerText(), /Le jeton est révoqué/);
  await check('jeton révoqué', revoked.html);
  assert.equal((await introspect(token)).active, false);
}

await test(
  'navigateur : de l’invitation d’un contact à un jeton vérifié par la passerelle, JS désactivé puis activé',
  { skip: skipWithoutChromium, timeout: 300_000 },
  async (t) => {
    const started = Date.now();
    session = await startSession();
    await createAccount(session.app.db, {
      email: 'irene@api-entreprise.gouv.fr',
      roles: ['instructor'],
      givenName: 'Irène',
    });
    for (const mode of MODES) {
      const email = `technique.${mode}@clamart.fr`;
      const title = `Portail des aides ${mode}`;
      await acceptedRequest(email, title);
      const context = await session.browser.newContext({ javaScriptEnabled: mode === 'js-on', locale: 'fr-FR' });
      if (mode === 'js-on') {
        await context.addInitScript(CSP_LISTENER);
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.base });
      }
      try {
        const page = await context.newPage();
        await t.test(`invitation, mot de passe, tableau de bord, jeton, passerelle, révocation (${mode})`, async () => {
          const problems: string[] = [];
          await journey(page, mode, email, title, problems);
          if (problems.length) assert.fail(`${problems.length} problème(s) :\n  - ${problems.join('\n  - ')}`);
        });
      } finally {
        await context.close();
      }
    }
    await finishPart(t, 'tokens', totals, started);
  },
);
