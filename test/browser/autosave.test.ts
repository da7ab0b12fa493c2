/**
 * Autosave in Chromium with JavaScript (a failed autosave keeps the input and says so; inline errors; focus kept): when the server answers 500, does not answer or
 * cannot be reached, the step says so in an alert (« Échec de l’enregistrement automatique ») with « Réessayer »;
 * the typed text stays, focus stays, the page sends nothing by itself meanwhile, « Réessayer » sends one request at
 * a time and saves once the server is back, and « Enregistrer le brouillon » still saves everything. Then inline
 * validation: a bad value shows its message and aria-invalid, the fixed value removes both. Each state through axe,
 * html-validate (the DOM) and CSP; counts in test-results/browser-summary.json.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  AUTOSAVE_FAILED,
  SAVED,
  controlAutosave,
  failureView,
  isAutosave,
  waitForFailure,
  waitForSaved,
  type OutageControl,
} from './autosave-outage.ts';
import {
  newRequest,
  requestRow,
  signedInContext,
  skipWithoutChromium,
  startSession,
  type Session,
} from './browser-session.ts';
import { checkState, clickAndWait, currentDom, emptyTotals, finishPart, focusedId, open } from './journey-checks.ts';

const TITLE = 'Achats publics de la commune (enregistrement interrompu)';
const DESCRIPTION = 'Vérification des pièces des candidats, enregistrée par le bouton.';
/** htmx gives up on an unanswered request after 10 s (public/js/signup.js); shortened here to keep the test quick. */
const TEST_TIMEOUT_MS = 1500;
const totals = emptyTotals();
let session: Session | undefined;

after(async () => {
  await session?.stop();
});

function fail(problems: string[]): void {
  if (problems.length) assert.fail(`${problems.length} problème(s) :\n  - ${problems.join('\n  - ')}`);
}

const retryButton = (page: Page) =>
  page.getByRole('button', { name: 'Réessayer l’enregistrement automatique', exact: true });

/** The failure as shown after `cause`: alert text, visible, « Réessayer », focus on `focus`, nothing typed lost. */
async function assertFailure(page: Page, cause: string, focus: string): Promise<void> {
  await waitForFailure(page);
  assert.deepEqual(
    await failureView(page),
    { alert: AUTOSAVE_FAILED, visible: true, retryVisible: true, focused: focus },
    `${cause} : alerte, « Réessayer », focus`,
  );
  assert.equal(await page.inputValue('#title'), TITLE, `${cause} : la saisie est toujours dans le champ`);
}

/**
 * « Réessayer » while the outage lasts: the failure again, one request. With `pressTwice` (the request hangs until
 * htmx's timeout), the button is marked busy meanwhile and a second press sends nothing.
 */
async function retryDuring(page: Page, control: OutageControl, cause: string, pressTwice: boolean): Promise<void> {
  const before = control.sent();
  const sent = page.waitForRequest(isAutosave);
  await retryButton(page).click();
  await sent;
  if (pressTwice) {
    assert.equal(
      await retryButton(page).getAttribute('aria-disabled'),
      'true',
      `${cause} : « Réessayer » est indisponible pendant l’envoi`,
    );
    await retryButton(page).click({ force: true }); // pressed again while busy: ignored
  }
  await assertFailure(page, cause, 'brouillon-reessayer');
  assert.equal(
    control.sent() - before,
    1,
    `${cause} : un seul envoi${pressTwice ? ' pour deux appuis sur « Réessayer »' : ''}`,
  );
}

async function outages(page: Page, base: string, id: string, problems: string[]): Promise<void> {
  const url = `/demandes/${id}/demarche`;
  const at = (state: string) => `${url} ${state} (js-on)`;
  // The page's timers on a clock the test controls (it runs at the normal pace until told to jump ahead).
  await page.clock.install();
  assert.equal((await open(page, base + url)).status, 200);
  assert.equal(await page.locator('#brouillon-echec').isVisible(), false, 'l’alerte d’échec est cachée au chargement');
  const control = await controlAutosave(page, url);
  const initial = await requestRow(session!, id);
  try {
    control.set('server-error');
    await page.fill('#title', TITLE); // the autosave leaves 3 s after the last keystroke
    await assertFailure(page, 'réponse 500', 'title');
    problems.push(...(await checkState(page, 'js-on', at('échec 500'), await currentDom(page), totals)));

    const sentBeforeIdle = control.sent();
    // Ten seconds without any action, on the page's clock: every timer due in that time fires now, without waiting.
    await page.clock.fastForward(10_000);
    // Then « Réessayer »: its request must be the only one since the failure (a retry of the page's own comes first).
    const retried = page.waitForRequest(isAutosave);
    await retryButton(page).click();
    await retried;
    await assertFailure(page, 'réponse 500, 10 s plus tard', 'brouillon-reessayer');
    assert.equal(control.sent() - sentBeforeIdle, 1, 'aucun nouvel essai sans action de la personne');

    control.set('no-answer');
    await page.evaluate(
      (ms) => void ((window as unknown as { htmx: { config: { timeout: number } } }).htmx.config.timeout = ms),
      TEST_TIMEOUT_MS,
    );
    await retryDuring(page, control, 'pas de réponse', true);
    control.set('offline');
    await retryDuring(page, control, 'hors ligne', false);
    problems.push(...(await checkState(page, 'js-on', at('échec hors ligne'), await currentDom(page), totals)));
    assert.equal((await requestRow(session!, id)).version, initial.version, 'rien n’est enregistré pendant la panne');

    control.set('none');
    await retryButton(page).click();
    await waitForSaved(page);
    assert.match((await page.locator('#brouillon-etat').textContent()) ?? '', SAVED);
    const saved = await requestRow(session!, id);
    assert.deepEqual(
      [saved.version, saved.answers.demarche?.title],
      [initial.version + 1, TITLE],
      '« Réessayer » enregistre la saisie',
    );
    assert.equal(await page.inputValue('#version'), String(saved.version));
    assert.equal(await focusedId(page), 'title', 'le bouton disparu rend le focus au champ en cours de saisie');
    problems.push(
      ...(await checkState(page, 'js-on', at('enregistré après « Réessayer »'), await currentDom(page), totals)),
    );

    control.set('server-error');
    await page.fill('#description', DESCRIPTION);
    await page.locator('#description').dispatchEvent('change');
    await waitForFailure(page);
    const classic = await clickAndWait(
      page,
      page.getByRole('button', { name: 'Enregistrer le brouillon', exact: true }),
    );
    assert.deepEqual(
      [classic.posted, classic.status, classic.path],
      [303, 200, url],
      '« Enregistrer le brouillon » marche pendant la panne',
    );
    const stored = (await requestRow(session!, id)).answers.demarche;
    assert.deepEqual(
      [stored?.title, stored?.description],
      [TITLE, DESCRIPTION],
      '« Enregistrer le brouillon » enregistre tout',
    );
    assert.equal(await page.locator('#brouillon-echec').isVisible(), false);
  } finally {
    await control.release();
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  }
}

/** Inline validation: the field's message group and aria-invalid follow the autosave's answer; focus stays. */
async function inlineValidation(page: Page, base: string, id: string, problems: string[]): Promise<void> {
  const url = `/demandes/${id}/donnees-personnelles`;
  const at = (state: string) => `${url} ${state} (js-on)`;
  // The page's timers on a clock the test controls (it runs at the normal pace until told to jump ahead).
  await page.clock.install();
  assert.equal((await open(page, base + url)).status, 200);
  const field = page.locator('#retentionMonths');
  const messages = page.locator('#retentionMonths-messages');
  for (const [value, status] of [
    ['abc', 422],
    ['24', 200],
  ] as const) {
    const answer = page.waitForResponse((r) => isAutosave(r.request()), { timeout: 20_000 });
    await field.fill(value);
    assert.equal((await answer).status(), status, `« ${value} » : réponse de l’enregistrement automatique`);
    const invalid = status === 422;
    await page.waitForFunction(
      (expected) => (document.getElementById('retentionMonths')?.getAttribute('aria-invalid') === 'true') === expected,
      invalid,
    );
    const text = (await messages.textContent())?.trim() ?? '';
    if (invalid)
      assert.equal(
        text,
        'Indiquez la durée de conservation en mois, par exemple 36',
        'le message d’erreur, qui dit le format attendu, est sous le champ',
      );
    else assert.equal(text, '', 'le message d’erreur a disparu');
    assert.equal(await page.locator('#retentionMonths-erreur').count(), invalid ? 1 : 0);
    assert.equal(await field.getAttribute('aria-describedby'), 'retentionMonths-messages');
    assert.equal(await focusedId(page), 'retentionMonths', 'le focus reste dans le champ');
    assert.equal(await field.inputValue(), value);
    problems.push(
      ...(await checkState(
        page,
        'js-on',
        at(invalid ? `« ${value} » refusé` : `« ${value} » accepté`),
        await currentDom(page),
        totals,
      )),
    );
  }
}

await test(
  'navigateur : échecs de l’enregistrement automatique et validation en ligne (js-on)',
  { skip: skipWithoutChromium, timeout: 300_000 },
  async (t) => {
    const started = Date.now();
    session = await startSession();
    const context = await signedInContext(session, 'js-on');
    try {
      const page = await context.newPage();
      const id = await newRequest(session);
      for (const [name, run] of [
        ['500, pas de réponse, hors ligne, « Réessayer », bouton classique', outages],
        ['validation en ligne : erreur puis correction', inlineValidation],
      ] as const) {
        await t.test(name, { timeout: 120_000 }, async () => {
          const problems: string[] = [];
          await run(page, session!.base, id, problems);
          fail(problems);
        });
      }
    } finally {
      await context.close();
    }
    await finishPart(t, 'autosave', totals, started);
  },
);
