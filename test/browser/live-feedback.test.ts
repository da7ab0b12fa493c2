/**
 * What people hear and see while they type (issue 8), in Chromium: the error summary and the « Erreur : » title
 * follow a live correction (eligibility, sign-up); the sign-up summary lists errors in the form's order; a save is
 * announced once per quiet period and an error once, in one live region; an error summary link shows the field
 * with its label; without JavaScript, « Prolonger ma session » keeps what was typed. Each state through the page
 * checks; counts in test-results/browser-summary.json.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CSP_LISTENER } from '../helpers/browser.ts';
import { CLAMART } from '../helpers/fixtures.ts';
import { isAutosave } from './autosave-outage.ts';
import {
  newRequest,
  requestRow,
  signedInContext,
  skipWithoutChromium,
  startSession,
  type Session,
} from './browser-session.ts';
import { checkState, clickAndWait, currentDom, emptyTotals, finishPart, open } from './journey-checks.ts';

const totals = emptyTotals();
let session: Session | undefined;
after(() => session?.stop());

const ERROR_PREFIX = 'Erreur\u00a0: ';

function fail(problems: string[]): void {
  if (problems.length) assert.fail(`${problems.length} problème(s) :\n  - ${problems.join('\n  - ')}`);
}

/** Records every text the element takes from now on (what a screen reader would be told, for a live region). */
async function recordTexts(page: Page, id: string): Promise<void> {
  await page.evaluate((target) => {
    const element = document.getElementById(target)!;
    const seen: string[] = [];
    (window as unknown as Record<string, string[]>)[`__texts_${target}`] = seen;
    new MutationObserver(() => seen.push(element.textContent?.trim() ?? '')).observe(element, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  }, id);
}

async function recorded(page: Page, id: string): Promise<string[]> {
  return page.evaluate((target) => (window as unknown as Record<string, string[]>)[`__texts_${target}`] ?? [], id);
}

/** Typing then waiting for the autosave it sets off: its status. */
async function typeAndSave(page: Page, selector: string, value: string): Promise<number> {
  const answer = page.waitForResponse((r) => isAutosave(r.request()), { timeout: 30_000 });
  await page.fill(selector, value);
  return (await answer).status();
}

await test(
  'navigateur : retours en direct (récapitulatif des erreurs, annonces, prolonger sans JS)',
  { skip: skipWithoutChromium, timeout: 600_000 },
  async (t) => {
    const started = Date.now();
    session = await startSession();
    const base = session.base;
    const anonymous = await session.browser.newContext({ javaScriptEnabled: true, locale: 'fr-FR' });
    await anonymous.addInitScript(CSP_LISTENER);
    const context = await signedInContext(session, 'js-on');
    const plain = await signedInContext(session, 'js-off');
    try {
      await t.test(
        '/eligibilite : après une correction en direct, plus de récapitulatif ni de « Erreur : »',
        async () => {
          const problems: string[] = [];
          const page = await anonymous.newPage();
          await open(page, `${base}/eligibilite`);
          await page.fill('#siret', '123');
          const refused = await clickAndWait(page, page.getByRole('button', { name: 'Vérifier' }), async (button) => {
            // the live check on change comes first: the click sends the form as it is
            await page.evaluate(() => document.getElementById('siret')?.blur());
            await button.click();
          });
          assert.equal(refused.status, 422);
          assert.ok((await page.title()).startsWith(ERROR_PREFIX));
          assert.equal(await page.locator('#resume-erreurs').count(), 1);
          await page.fill('#siret', '13002526500013');
          await page.press('#siret', 'Tab');
          await page.waitForSelector('#siret-groupe.fr-input-group--valid');
          await page.waitForFunction(() => document.getElementById('resume-erreurs') === null);
          assert.ok(!(await page.title()).startsWith(ERROR_PREFIX), `titre : ${await page.title()}`);
          assert.equal(
            await page.getByText(/vous en avez saisi/).count(),
            0,
            'l’ancien message ne contredit plus le nouveau',
          );
          problems.push(
            ...(await checkState(
              page,
              'js-on',
              '/eligibilite corrigé en direct (js-on)',
              await currentDom(page),
              totals,
            )),
          );
          await page.close();
          fail(problems);
        },
      );

      await t.test(
        '/inscription : récapitulatif dans l’ordre du formulaire, puis l’entrée du SIRET corrigé s’en va',
        async () => {
          const problems: string[] = [];
          const page = await anonymous.newPage();
          await open(page, `${base}/inscription`);
          const refused = await clickAndWait(page, page.getByRole('button', { name: 'Créer mon compte' }));
          assert.equal(refused.status, 422);
          const order = await page
            .locator('#resume-erreurs a')
            .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
          assert.deepEqual(
            order,
            ['#siret', '#givenName', '#familyName', '#email', '#password'],
            'le récapitulatif suit l’ordre du formulaire',
          );
          await page.fill('#siret', CLAMART);
          await page.press('#siret', 'Tab');
          await page.waitForSelector('.signup-organisation-card');
          await page.waitForFunction(() => !document.querySelector('#resume-erreurs a[href="#siret"]'));
          assert.equal(await page.locator('#resume-erreurs li').count(), 4, 'les autres erreurs restent');
          assert.equal(
            (await page.locator('#resume-erreurs .fr-alert__title').textContent())?.trim(),
            'Le formulaire contient 4 erreurs',
          );
          assert.ok((await page.title()).startsWith(ERROR_PREFIX), 'il reste des erreurs : le titre le dit encore');
          problems.push(
            ...(await checkState(
              page,
              'js-on',
              '/inscription SIRET corrigé en direct (js-on)',
              await currentDom(page),
              totals,
            )),
          );
          // An error summary link shows its field with its label above it.
          await page.locator('#resume-erreurs a[href="#password"]').click();
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
          const label = await page.locator('label[for="password"]').boundingBox();
          assert.ok(label && label.y >= 0, `le libellé du champ reste visible (y = ${label?.y})`);
          await page.close();
          fail(problems);
        },
      );

      await t.test('étape : un enregistrement annoncé une fois par période de calme, une erreur une fois', async () => {
        const problems: string[] = [];
        const page = await context.newPage();
        const id = await newRequest(session!);
        await open(page, `${base}/demandes/${id}/demarche`);
        await recordTexts(page, 'statut-formulaire');
        for (const title of ['Aides', 'Aides au commerce', 'Aides au commerce de proximité'])
          assert.equal(await typeAndSave(page, '#title', title), 200);
        assert.match(
          (await page.locator('#brouillon-etat').textContent()) ?? '',
          /^Brouillon enregistré à \d{1,2} h \d{2}$/,
          'l’état visible suit chaque enregistrement',
        );
        // the announcement comes once the person pauses
        await page.waitForFunction(
          () => /^Brouillon enregistré à/.test(document.getElementById('statut-formulaire')?.textContent ?? ''),
          undefined,
          { timeout: 30_000 },
        );
        const announced = (await recorded(page, 'statut-formulaire')).filter((text) => text !== '');
        assert.equal(announced.length, 1, `trois enregistrements de suite, une annonce : ${JSON.stringify(announced)}`);
        assert.equal(
          announced[0],
          (await page.locator('#brouillon-etat').textContent())?.trim(),
          'l’annonce dit le dernier enregistrement',
        );
        assert.equal((await requestRow(session!, id)).answers.demarche?.title, 'Aides au commerce de proximité');

        await recordTexts(page, 'goLiveDate-messages');
        assert.equal(await typeAndSave(page, '#goLiveDate', 'demain'), 422);
        await page.waitForSelector('#goLiveDate-erreur');
        assert.equal(await typeAndSave(page, '#goLiveDate', 'après-demain'), 422);
        const errors = (await recorded(page, 'goLiveDate-messages')).filter((text) => text !== '');
        assert.equal(errors.length, 1, `la même erreur deux fois, une annonce : ${JSON.stringify(errors)}`);
        assert.ok(
          !(await recorded(page, 'statut-formulaire')).some((text) => text.startsWith('Erreur')),
          'l’erreur n’est pas annoncée une deuxième fois dans la région de statut',
        );
        problems.push(
          ...(await checkState(
            page,
            'js-on',
            `/demandes/${id}/demarche après les annonces (js-on)`,
            await currentDom(page),
            totals,
          )),
        );
        await page.close();
        fail(problems);
      });

      await t.test(
        'contacts : l’entrée d’un contact vide reste au récapitulatif tant qu’un de ses champs manque',
        async () => {
          const problems: string[] = [];
          const page = await context.newPage();
          const id = await newRequest(session!);
          await open(page, `${base}/demandes/${id}/contacts`);
          const refused = await clickAndWait(page, page.getByRole('button', { name: 'Continuer', exact: true }));
          assert.equal(refused.posted, 422);
          assert.equal(await page.locator('#resume-erreurs li').count(), 4, 'une entrée par contact vide');
          assert.equal(await typeAndSave(page, '#dpoGivenName', 'Marie'), 200);
          await page.waitForFunction(
            () => document.getElementById('dpoGivenName')?.getAttribute('aria-invalid') !== 'true',
          );
          assert.equal(
            await page.locator('#resume-erreurs li').count(),
            4,
            'le contact n’est pas complet : son entrée reste',
          );
          problems.push(
            ...(await checkState(
              page,
              'js-on',
              `/demandes/${id}/contacts, un prénom saisi (js-on)`,
              await currentDom(page),
              totals,
            )),
          );
          await page.close();
          fail(problems);
        },
      );

      await t.test(
        'connexion sous « Referrer-Policy: no-referrer » imposée par le navigateur : Origin null accepté',
        async () => {
          const page = await anonymous.newPage();
          // A reader's setting or extension that strips referrers: the page's own policy becomes no-referrer.
          await page.route(
            (url) => url.pathname === '/connexion',
            async (route) => {
              if (route.request().method() !== 'GET') return route.continue();
              const response = await route.fetch();
              await route.fulfill({ response, headers: { ...response.headers(), 'referrer-policy': 'no-referrer' } });
            },
          );
          await open(page, `${base}/connexion`);
          const origin = page.waitForRequest(
            (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/connexion',
          );
          await page.fill('#email', session!.account.email);
          await page.fill('#password', session!.account.password);
          const signedIn = await clickAndWait(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
          assert.equal((await (await origin).allHeaders()).origin, 'null', 'the browser sent Origin: null');
          assert.deepEqual(
            [signedIn.posted, signedIn.path],
            [303, '/demandes'],
            'accepted: same-origin Fetch metadata and the CSRF token',
          );
          await page.close();
        },
      );

      await t.test('étape sans JavaScript : « Prolonger ma session » garde ce qui était tapé', async () => {
        const problems: string[] = [];
        const page = await plain.newPage();
        const id = await newRequest(session!);
        const url = `/demandes/${id}/demarche`;
        await open(page, base + url);
        await page.fill('#title', 'Tapé juste avant de prolonger');
        await page.fill('#description', 'Et une description');
        const back = await clickAndWait(page, page.getByRole('button', { name: 'Prolonger ma session' }));
        assert.deepEqual([back.posted, back.status, back.path], [303, 200, url]);
        assert.equal(await page.inputValue('#title'), 'Tapé juste avant de prolonger');
        assert.equal(await page.inputValue('#description'), 'Et une description');
        assert.match(
          (await page.locator('main .fr-alert[role="status"]').textContent()) ?? '',
          /Votre session est prolongée\. Brouillon enregistré à/,
        );
        problems.push(
          ...(await checkState(
            page,
            'js-off',
            `${url} après « Prolonger ma session » (js-off)`,
            { server: back.html },
            totals,
          )),
        );
        await page.close();
        fail(problems);
      });
    } finally {
      await anonymous.close();
      await context.close();
      await plain.close();
    }
    await finishPart(t, 'live-feedback', totals, started);
  },
);
