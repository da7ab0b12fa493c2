/**
 * A whole instruction with the keyboard only, in Chromium, as people make it: the instructor (JavaScript on) goes from
 * the header's « Instruction » link to the request, asks for changes with a reason and a flagged field; the applicant
 * (JavaScript off) follows the emailed link, reaches the flagged field from the decision's link, changes it and
 * submits again; the instructor follows the « demande modifiée » email, reads what changed and validates. No
 * `page.goto` beyond the sign-in page and the emailed links; every move is Tab, Shift+Tab, Enter, Space or typing.
 * Each page reached is checked with axe.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { CSP_LISTENER, runAxe } from '../helpers/browser.ts';
import { COMPLETE_ANSWERS, createAccount, createSubmittedRequest, recordSubmission } from '../helpers/fixtures.ts';
import { emailsTo } from '../helpers/mailbox.ts';
import { CLAMART, signIn, skipWithoutChromium, startSession, type Session } from './browser-session.ts';
import { clickAndWait } from './journey-checks.ts';

let session: Session | undefined;
after(() => session?.stop());

/** Presses Tab until `target` has the focus, as a keyboard user moves through a page (fails after 400 stops). */
async function tabTo(page: Page, target: Locator): Promise<void> {
  const element = target.first();
  await element.waitFor();
  for (let i = 0; i < 400; i += 1) {
    await page.keyboard.press('Tab');
    if (await element.evaluate((el) => el === document.activeElement)) return;
  }
  assert.fail(`${String(target)} n’est pas atteignable au clavier sur ${page.url()}`);
}

/** Tab to `target` and press `key` on it; waits for the page it leads to. */
async function press(page: Page, target: Locator, key = 'Enter') {
  await tabTo(page, target);
  return clickAndWait(page, target, () => page.keyboard.press(key));
}

/** The path of the last email of `template` sent to `address` (its first link to this service). */
async function emailedPath(address: string, template: string): Promise<string> {
  const mail = (await emailsTo(session!.app.db, address)).filter((m) => m.template === template).at(-1);
  assert.ok(mail, `aucun courriel « ${template} » pour ${address}`);
  const match = /https?:\/\/[^/\s]+(\/\S+)/.exec(mail.text);
  assert.ok(match, `pas de lien dans « ${template} »`);
  return match[1]!;
}

async function axe(page: Page, where: string, mode: 'js-on' | 'js-off', problems: string[]) {
  problems.push(...(await runAxe(page, where, mode)).violations);
}

await test(
  'instruction au clavier : demande de modifications, correction, nouvelle soumission, validation',
  {
    skip: skipWithoutChromium,
    timeout: 300_000,
  },
  async () => {
    session = await startSession();
    const { app, base, browser, account } = session;
    const instructor = await createAccount(app.db, {
      email: 'irene.instructrice@api-entreprise.gouv.fr',
      roles: ['instructor'],
      givenName: 'Irène',
      familyName: 'Instructrice',
    });
    const id = await createSubmittedRequest(app.db, account.id, CLAMART, {
      title: COMPLETE_ANSWERS.demarche.title,
      answers: COMPLETE_ANSWERS,
    });
    await recordSubmission(app.db, id, account.id, COMPLETE_ANSWERS);
    const problems: string[] = [];
    const contexts: BrowserContext[] = [];
    const context = async (javaScriptEnabled: boolean) => {
      const created = await browser.newContext({ javaScriptEnabled, locale: 'fr-FR' });
      if (javaScriptEnabled) await created.addInitScript(CSP_LISTENER);
      contexts.push(created);
      return created;
    };
    try {
      // The instructor: from the header to the request, then « Demander des modifications ».
      const staff = await context(true);
      await signIn(staff, base, instructor, app);
      const desk = await staff.newPage();
      await desk.goto(`${base}/connexion`); // signed in: the sign-in page leads on
      await press(desk, desk.getByRole('link', { name: 'Instruction', exact: true }));
      assert.equal(new URL(desk.url()).pathname, '/instruction');
      await axe(desk, 'liste (clavier)', 'js-on', problems);
      // The search as the instructor types: the results follow, the address too, the focus stays, the count is said.
      await tabTo(desk, desk.locator('#q'));
      await desk.keyboard.type(`${id} aides`);
      await desk.waitForFunction((wanted) => new URL(location.href).searchParams.get('q') === wanted, `${id} aides`);
      await desk.waitForFunction(() => document.querySelectorAll('#resultats-liste tbody tr').length === 1);
      assert.equal(await desk.evaluate(() => document.activeElement?.id), 'q', 'le focus reste dans la recherche');
      assert.equal((await desk.locator('#statut-formulaire').textContent())?.trim(), '1 demande trouvée');
      assert.match(await desk.title(), /recherche «\s\d+ aides\s»/);
      await axe(desk, 'liste après recherche htmx (clavier)', 'js-on', problems);
      await press(desk, desk.getByRole('link', { name: new RegExp(`demande n° ${id}\\)`) }));
      assert.equal(new URL(desk.url()).pathname, `/instruction/demandes/${id}`);
      await press(desk, desk.getByRole('link', { name: 'Demander des modifications', exact: true }));
      await axe(desk, 'demander des modifications (clavier)', 'js-on', problems);
      const refused = await press(desk, desk.getByRole('button', { name: 'Demander les modifications', exact: true }));
      assert.equal(refused.posted, 422, 'sans motif ni champ : la page le dit');
      await axe(desk, 'demander des modifications, erreurs (clavier)', 'js-on', problems);
      await tabTo(desk, desk.locator('#motif'));
      await desk.keyboard.type('Indiquez la date de mise en service retenue par le conseil municipal.');
      await tabTo(desk, desk.getByRole('checkbox', { name: 'Date de mise en service prévue' }));
      await desk.keyboard.press('Space');
      const asked = await press(desk, desk.getByRole('button', { name: 'Demander les modifications', exact: true }));
      assert.equal(asked.posted, 303);
      assert.match(
        (await desk.locator('.fr-alert[role="status"]').textContent()) ?? '',
        /modifications sont demandées/,
      );

      // The applicant, without JavaScript: the emailed link, the flagged field, the change, the new submission.
      const applicantContext = await context(false);
      await signIn(applicantContext, base, account);
      const office = await applicantContext.newPage();
      await office.goto(base + (await emailedPath(account.email, 'modifications-demandees')));
      await axe(office, 'récapitulatif avec modifications demandées (clavier)', 'js-off', problems);
      await press(office, office.locator('#decision').getByRole('link', { name: /Date de mise en service prévue/ }));
      assert.equal(new URL(office.url()).pathname, `/demandes/${id}/demarche`);
      await tabTo(office, office.locator('#goLiveDate'));
      await office.keyboard.press('Control+A');
      await office.keyboard.type('01/06/2027');
      const saved = await clickAndWait(office, office.locator('#goLiveDate'), () => office.keyboard.press('Enter'));
      assert.equal(saved.posted, 303, 'Entrée dans le champ : « Continuer »');
      await press(office, office.getByRole('link', { name: 'Voir le récapitulatif de la demande', exact: true }));
      await tabTo(office, office.getByRole('checkbox', { name: /Je certifie/ }));
      await office.keyboard.press('Space');
      const resubmitted = await press(
        office,
        office.getByRole('button', { name: 'Soumettre la demande', exact: true }),
      );
      assert.equal(resubmitted.posted, 303);
      assert.equal(
        ((await app.db('access_requests').where({ id }).first('status')) as { status: string }).status,
        'submitted',
      );

      // The instructor follows the « demande modifiée » email, reads what changed, validates.
      await desk.goto(base + (await emailedPath(instructor.email, 'demande-modifiee')));
      const changed = (await desk.locator('#changements tbody').textContent()) ?? '';
      assert.match(changed, /Date de mise en service prévue\s*1er mars 2027\s*1er juin 2027/);
      await axe(desk, 'demande modifiée, ce qui a changé (clavier)', 'js-on', problems);
      await press(desk, desk.getByRole('link', { name: 'Valider la demande', exact: true }));
      const validated = await press(desk, desk.getByRole('button', { name: 'Valider la demande', exact: true }));
      assert.equal(validated.posted, 303);
      assert.match((await desk.locator('.fr-alert[role="status"]').textContent()) ?? '', /La demande est validée/);
      assert.equal(
        ((await app.db('access_requests').where({ id }).first('status')) as { status: string }).status,
        'validated',
      );
      assert.equal((await emailsTo(app.db, account.email)).filter((m) => m.template === 'demande-validee').length, 1);
      assert.deepEqual(problems, []);
    } finally {
      for (const c of contexts) await c.close();
    }
  },
);
