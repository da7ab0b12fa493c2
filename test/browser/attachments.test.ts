/**
 * PDF attachments of the legal step in Chromium (interrupted, oversized and refused uploads; errors flagged and described), JavaScript disabled then enabled: a
 * reference is typed, a PDF attached with the step's « Joindre le fichier » button (multipart, formaction), the file
 * listed and downloadable (Content-Disposition: attachment), an executable renamed `.pdf` refused (422, « Erreur : »,
 * error summary link to the file input), Enter in a text field continuing to the next step (never removing a
 * file), then « Supprimer ». Each state through axe, html-validate and CSP; counts in test-results/browser-summary.json.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { MODES, type Mode } from '../helpers/browser.ts';
import {
  newRequest,
  requestRow,
  signedInContext,
  skipWithoutChromium,
  startSession,
  type Session,
} from './browser-session.ts';
import {
  checkState,
  clickAndWait,
  emptyTotals,
  errorSummaryProblems,
  finishPart,
  open,
  settleAutosave,
} from './journey-checks.ts';
import { executable, minimalPdf } from './pdf-fixture.ts';

const REFERENCE = 'Délibération du conseil municipal du 12 mars 2026';
const GOOD = {
  name: 'deliberation-12-mars-2026.pdf',
  mimeType: 'application/pdf',
  buffer: minimalPdf('Deliberation du conseil municipal du 12 mars 2026'),
};
const BAD = { name: 'programme.pdf', mimeType: 'application/pdf', buffer: executable() };
const totals = emptyTotals();
const uploadDir = mkdtempSync(path.join(tmpdir(), 'signup-pieces-navigateur-'));
let session: Session | undefined;

after(async () => {
  await session?.stop();
  rmSync(uploadDir, { recursive: true, force: true });
});

const attachButton = (page: Page) => page.getByRole('button', { name: 'Joindre le fichier', exact: true });
const listed = (page: Page) => page.locator('#pieces-jointes li a[download]').allTextContents();
const storedFiles = (id: string) =>
  session!.app
    .db('attachments')
    .where({ request_id: id })
    .count<{ count: string }[]>('* as count')
    .then(([row]) => Number(row!.count));

function fail(problems: string[]): void {
  if (problems.length) assert.fail(`${problems.length} problème(s) :\n  - ${problems.join('\n  - ')}`);
}

/** The download link: the file itself, as an attachment (never shown inline), to the signed-in member. */
async function checkDownload(page: Page): Promise<void> {
  const href =
    (await page.locator('#pieces-jointes li a[download]').first().getAttribute('href')) ??
    assert.fail('lien de téléchargement absent');
  const response = await page.request.get(new URL(href, page.url()).href); // the context's cookies: the session
  assert.equal(
    response.status(),
    200,
    `téléchargement : ${response.status()} ${(await response.text()).slice(0, 2000)}`,
  );
  const headers = response.headers();
  assert.match(headers['content-disposition'] ?? '', /^attachment; filename="deliberation-12-mars-2026\.pdf"/);
  assert.equal(headers['content-type'], 'application/pdf');
  assert.ok((await response.body()).equals(GOOD.buffer), 'le fichier téléchargé est celui qui a été joint');
}

async function attachments(page: Page, mode: Mode, base: string, id: string, problems: string[]): Promise<void> {
  const url = `/demandes/${id}/cadre-juridique`;
  const at = (state: string) => `${url} ${state} (${mode})`;
  assert.equal((await open(page, base + url)).status, 200);
  await page.getByLabel('Nature du texte').selectOption({ label: 'Délibération' });
  await page.fill('#reference', REFERENCE);
  await settleAutosave(page, mode); // no autosave still on its way when the form is sent

  await page.setInputFiles('#pieces', GOOD);
  const added = await clickAndWait(page, attachButton(page));
  assert.deepEqual(
    [added.posted, added.status, added.path],
    [303, 200, url],
    '« Joindre le fichier » : 303 vers l’étape',
  );
  assert.deepEqual(await listed(page), [`${GOOD.name} PDF – 1 ko`]);
  assert.equal(
    (await page.locator('#pieces-jointes-statut').textContent())?.trim(),
    `Le fichier « ${GOOD.name} » est joint à la demande.`,
  );
  assert.equal(
    await page.inputValue('#reference'),
    REFERENCE,
    'la référence tapée avant de joindre le fichier est toujours là',
  );
  problems.push(...(await checkState(page, mode, at('fichier joint'), { server: added.html }, totals)));
  await checkDownload(page);

  await page.setInputFiles('#pieces', BAD);
  const refused = await clickAndWait(page, attachButton(page));
  assert.deepEqual([refused.posted, refused.status], [422, 422], 'un exécutable renommé .pdf : 422');
  assert.match(
    (await page.locator('#pieces-erreur').textContent()) ?? '',
    /^Le fichier « programme\.pdf » n’est pas un PDF/,
  );
  assert.equal(await page.getAttribute('#pieces', 'aria-invalid'), 'true');
  assert.deepEqual(await listed(page), [`${GOOD.name} PDF – 1 ko`], 'le fichier déjà joint reste listé');
  assert.equal(await page.inputValue('#reference'), REFERENCE);
  const summary = await errorSummaryProblems(page, mode, at('fichier refusé')); // also clicks the first link: focus on #pieces
  assert.deepEqual(summary.targets, ['pieces']);
  problems.push(
    ...summary.problems,
    ...(await checkState(page, mode, at('fichier refusé'), { server: refused.html }, totals)),
  );

  // Enter in a text field submits with the form's first submit button: « Continuer », never « Supprimer ».
  await page.focus('#reference');
  const next = await clickAndWait(page, page.locator('#reference'), (target) => target.press('Enter'));
  assert.deepEqual(
    [next.posted, next.path],
    [303, `/demandes/${id}/donnees-personnelles`],
    'Entrée dans la référence : l’étape suivante',
  );
  assert.equal(await storedFiles(id), 1, 'Entrée n’a supprimé aucun fichier');
  assert.equal((await requestRow(session!, id)).answers['cadre-juridique']?.reference, REFERENCE);

  assert.equal((await open(page, base + url)).status, 200);
  const removed = await clickAndWait(
    page,
    page.getByRole('button', { name: `Supprimer le fichier « ${GOOD.name} »`, exact: true }),
  );
  assert.deepEqual([removed.posted, removed.status, removed.path], [303, 200, url], '« Supprimer » : 303 vers l’étape');
  assert.equal(await page.locator('#pieces-jointes li').count(), 0, 'plus aucun fichier listé');
  assert.equal(
    (await page.locator('#pieces-jointes p.fr-text--sm').first().textContent())?.trim(),
    'Aucun fichier joint.',
  );
  assert.equal(
    (await page.locator('#pieces-jointes-statut').textContent())?.trim(),
    `Le fichier « ${GOOD.name} » est supprimé de la demande.`,
  );
  assert.equal(await storedFiles(id), 0);
  assert.equal(await page.inputValue('#reference'), REFERENCE);
  problems.push(...(await checkState(page, mode, at('fichier supprimé'), { server: removed.html }, totals)));
}

await test(
  'navigateur : pièces jointes PDF du cadre juridique, JS désactivé puis activé',
  { skip: skipWithoutChromium, timeout: 300_000 },
  async (t) => {
    const started = Date.now();
    session = await startSession({ UPLOAD_DIR: uploadDir });
    for (const mode of MODES) {
      const context = await signedInContext(session, mode);
      try {
        const page = await context.newPage();
        const id = await newRequest(session);
        await t.test(`joindre, refuser, Entrée, supprimer (${mode})`, { timeout: 120_000 }, async () => {
          const problems: string[] = [];
          await attachments(page, mode, session!.base, id, problems);
          fail(problems);
        });
      } finally {
        await context.close();
      }
    }
    await finishPart(t, 'attachments', totals, started);
  },
);
