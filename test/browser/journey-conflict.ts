/**
 * The 409 page of the browser journey (journey.test.ts): two tabs of the same person on the same step; the first
 * saves a title, the second a different one. Asserts only what survives a redesign of that page: the status, the
 * « Erreur : » title, the typed value shown, and axe, html-validate and CSP clean.
 */
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import type { Db } from '../../src/db/knex.ts';
import type { Mode } from '../helpers/browser.ts';
import { checkState, clickAndWait, open, type Totals } from './journey-checks.ts';

export async function conflict(
  db: Db,
  context: BrowserContext,
  mode: Mode,
  url: string,
  totals: Totals,
  problems: string[],
): Promise<void> {
  const [first, second] = [await context.newPage(), await context.newPage()];
  try {
    await open(first, url);
    await open(second, url);
    await first.fill('#title', 'Intitulé enregistré dans le premier onglet');
    assert.equal(
      (await clickAndWait(first, first.getByRole('button', { name: 'Enregistrer le brouillon', exact: true }))).posted,
      303,
    );
    const mine = `Intitulé saisi dans le second onglet (${mode})`;
    await second.fill('#title', mine);
    const clash = await clickAndWait(
      second,
      second.getByRole('button', { name: 'Enregistrer le brouillon', exact: true }),
    );
    assert.deepEqual([clash.posted, clash.status], [409, 409], 'deux enregistrements du même champ : 409');
    const id = /\/demandes\/(\d+)\//.exec(url)?.[1];
    const stored = (await db('access_requests').where({ id }).first('answers')) as {
      answers: { demarche?: { title?: string } };
    };
    assert.equal(stored.answers.demarche?.title, 'Intitulé enregistré dans le premier onglet', 'le 409 n’a rien écrit');
    const where = `${new URL(url).pathname} 409 (${mode})`;
    const title = await second.title();
    if (!title.startsWith('Erreur : ')) problems.push(`${where} : titre « ${title} » sans le préfixe « Erreur : »`);
    if (!(await second.getByText(mine).first().isVisible()))
      problems.push(`${where} : la saisie « ${mine} » n’est pas affichée`);
    problems.push(...(await checkState(second, mode, where, { server: clash.html }, totals)));
  } finally {
    await first.close();
    await second.close();
  }
}
