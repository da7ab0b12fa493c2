/**
 * Session expiry with JavaScript (warned before the end, with a way to extend it; WCAG 2.2.1, RGAA 13.1), in Chromium with Playwright's fake
 * clock: on a wizard step, an autosave renews the session; two minutes before the end a modal alertdialog opens
 * with focus on « Rester connecté », axe-clean; « Rester connecté » answers 204, closes it, gives focus back and
 * moves the session row's expiry; Escape does the same (and the warning does not come back); with no action, the page ends on « Vous êtes déconnecté »,
 * which says that saved drafts are kept, and the session is closed on the server. Each state through axe,
 * html-validate (the DOM) and CSP; counts in test-results/browser-summary.json.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { controlAutosave, isAutosave } from './autosave-outage.ts';
import {
  newRequest,
  requestRow,
  signedInContext,
  skipWithoutChromium,
  startSession,
  type Session,
} from './browser-session.ts';
import { checkState, currentDom, emptyTotals, finishPart, focusedId, open } from './journey-checks.ts';

const MINUTE = 60_000;
const IDLE = 30 * MINUTE;
const TITLE = 'Contrôle des marchés publics (saisie avant expiration)';
const totals = emptyTotals();
let session: Session | undefined;

after(async () => {
  await session?.stop();
});

const dialog = (page: Page) => page.getByRole('alertdialog', { name: 'Votre session va expirer dans 2 minutes' });
const sessionRows = () =>
  session!.app.db('session').whereRaw("sess->>'userId' = ?", [session!.account.id]).select('expire');

async function rowExpire(): Promise<number> {
  const rows = await sessionRows();
  assert.equal(rows.length, 1, 'une session ouverte');
  return new Date(rows[0].expire).getTime();
}

await test(
  'navigateur : avertissement avant la fin de session, « Rester connecté », déconnexion sans action (js-on)',
  { skip: skipWithoutChromium, timeout: 120_000 },
  async (t) => {
    const started = Date.now();
    session = await startSession();
    const context = await signedInContext(session, 'js-on');
    const problems: string[] = [];
    try {
      await context.clock.install();
      const page = await context.newPage();
      const id = await newRequest(session);
      const url = `/demandes/${id}/demarche`;
      const at = (state: string) => `${url} ${state} (js-on)`;
      assert.equal((await open(page, session.base + url)).status, 200);
      assert.equal(await page.locator('#session-alerte').isVisible(), false, 'l’avertissement est fermé au chargement');
      problems.push(...(await checkState(page, 'js-on', at('avertissement fermé'), await currentDom(page), totals)));

      // Rolling session: an autosave 20 minutes in restarts the count, so nothing opens 28 minutes after the load.
      await page.clock.fastForward(20 * MINUTE);
      const saved = page.waitForResponse((r) => isAutosave(r.request()));
      await page.fill('#title', TITLE);
      await page.clock.runFor(3_500); // the autosave leaves 3 s after the last keystroke
      assert.equal((await saved).status(), 200);
      assert.ok(
        (await saved).headers()['x-session-expire'],
        'l’enregistrement automatique donne la nouvelle fin de session',
      );
      await page.clock.fastForward(IDLE - 20 * MINUTE);
      assert.equal(await dialog(page).isVisible(), false, 'l’enregistrement automatique a prolongé la session');

      // T − 2 min after the autosave: the warning, focus on « Rester connecté », a countdown that is not a live region.
      await page.clock.fastForward(18 * MINUTE + 1_000);
      await dialog(page).waitFor({ state: 'visible' });
      assert.equal(await focusedId(page), 'session-rester', 'le focus est sur « Rester connecté »');
      assert.match(
        (await page.locator('#session-alerte-texte').textContent()) ?? '',
        /brouillons enregistrés seront conservés/,
      );
      const countdown = page.locator('#session-decompte');
      const first = await countdown.textContent();
      assert.match(first ?? '', /^Temps restant : [12] min \d{2} s$/);
      await page.clock.runFor(3_000);
      assert.notEqual(await countdown.textContent(), first, 'le décompte avance');
      assert.equal(await countdown.getAttribute('aria-live'), null, 'le décompte n’est pas annoncé chaque seconde');
      // Focus leaving the field fired its change event: that autosave must not renew the session and shut the warning.
      assert.equal(await dialog(page).isVisible(), true, 'l’avertissement reste ouvert');
      assert.equal(await focusedId(page), 'session-rester');
      problems.push(...(await checkState(page, 'js-on', at('avertissement ouvert'), await currentDom(page), totals)));

      // « Rester connecté »: 204, the dialog closes, focus goes back to the field, the row's expiry moves.
      await session.app
        .db('session')
        .whereRaw("sess->>'userId' = ?", [session.account.id])
        .update({ expire: session.app.db.raw("now() + interval '1 minute'") });
      const aged = await rowExpire();
      const prolonged = page.waitForResponse((r) => new URL(r.url()).pathname === '/session/prolonger');
      // The keyboard, on the focused button (under the fake clock, click()'s stability wait never ends).
      await page.keyboard.press('Enter');
      assert.equal((await prolonged).status(), 204);
      await dialog(page).waitFor({ state: 'hidden' });
      assert.equal(await focusedId(page), 'title', 'le focus revient au champ où il était');
      const moved = await rowExpire();
      assert.ok(
        moved - aged > 25 * MINUTE,
        `la session en base est prolongée (${new Date(aged).toISOString()} → ${new Date(moved).toISOString()})`,
      );
      problems.push(
        ...(await checkState(page, 'js-on', at('après « Rester connecté »'), await currentDom(page), totals)),
      );

      // Escape is « Rester connecté »: the session is extended (204), the warning closes, focus goes back, and the
      // warning does not come back a second later (the count starts again).
      await page.clock.fastForward(IDLE - 2 * MINUTE + 1_000);
      await dialog(page).waitFor({ state: 'visible' });
      const escaped = page.waitForResponse((r) => new URL(r.url()).pathname === '/session/prolonger');
      await page.keyboard.press('Escape');
      assert.equal((await escaped).status(), 204, 'Échap prolonge la session');
      await dialog(page).waitFor({ state: 'hidden' });
      assert.equal(await focusedId(page), 'title', 'Échap : le focus revient au champ');
      await page.clock.runFor(5_000);
      assert.equal(await dialog(page).isVisible(), false, 'l’avertissement ne se rouvre pas après Échap');
      await page.clock.fastForward(IDLE - 2 * MINUTE + 1_000);
      await dialog(page).waitFor({ state: 'visible' });

      // No action until the end: « Vous êtes déconnecté », saved drafts kept, the session closed on the server.
      const left = page.waitForURL(`${session.base}/connexion/deconnecte`);
      await page.clock.fastForward(2 * MINUTE);
      await left;
      await page.waitForLoadState('load');
      const text = (await page.locator('main').textContent()) ?? '';
      assert.match(text, /Vous avez été déconnecté/);
      assert.match(text, /Vos brouillons enregistrés sont conservés/);
      assert.equal((await sessionRows()).length, 0, 'la session est fermée sur le serveur');
      assert.equal((await requestRow(session, id)).answers.demarche?.title, TITLE, 'le brouillon est bien enregistré');
      problems.push(
        ...(await checkState(
          page,
          'js-on',
          '/connexion/deconnecte après expiration (js-on)',
          await currentDom(page),
          totals,
        )),
      );
    } finally {
      await context.close();
    }
    await finishPart(t, 'session-timeout', totals, started);
    if (problems.length) assert.fail(`${problems.length} problème(s) :\n  - ${problems.join('\n  - ')}`);
  },
);

await test(
  'navigateur : saisie non enregistrée (échec de l’enregistrement automatique) à la fin de session → gardée et rendue après reconnexion (js-on)',
  { skip: skipWithoutChromium, timeout: 120_000 },
  async () => {
    // Its own app and browser: the first test's are closed by then.
    const session = await startSession();
    const context = await signedInContext(session, 'js-on');
    try {
      await context.clock.install();
      const page = await context.newPage();
      const id = await newRequest(session);
      const url = `/demandes/${id}/demarche`;
      await open(page, session.base + url);
      const outage = await controlAutosave(page, url);
      outage.set('server-error');
      const unsaved = 'Saisie jamais enregistrée automatiquement';
      await page.fill('#title', unsaved);
      await page.clock.runFor(3_500);
      await page.locator('#brouillon-echec').waitFor({ state: 'visible' });
      // The server's session ends (its clock is real); the page's count reaches its end.
      await session.app
        .db('session')
        .whereRaw("sess->>'userId' = ?", [session.account.id])
        .update({ expire: session.app.db.raw("now() - interval '1 second'") });
      const signInPage = page.waitForURL(`${session.base}/connexion`);
      await page.clock.fastForward(IDLE + 1_000);
      await signInPage;
      assert.match((await page.locator('main').textContent()) ?? '', /n’est pas perdu/);
      await page.fill('#email', session.account.email);
      await page.fill('#password', session.account.password);
      const back = page.waitForURL(`${session.base}${url}`);
      await page.keyboard.press('Enter');
      await back;
      assert.equal(await page.inputValue('#title'), unsaved, 'la saisie est rendue');
      assert.equal(
        await page.locator('#saisies-restaurees').isVisible(),
        true,
        'avec le bandeau « Vos dernières saisies n’étaient pas enregistrées »',
      );
      assert.equal(
        (await requestRow(session, id)).answers.demarche,
        undefined,
        'rien n’est enregistré sans l’accord de la personne',
      );
    } finally {
      await context.close();
      await session.stop();
    }
  },
);
