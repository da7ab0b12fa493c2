/**
 * The page checks catch what they claim to, on pages made for the purpose: an element that a rule of the DSFR
 * removed from the served subset would style is reported, and a page that uses only served rules is not.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { removedRuleProblems } from '../helpers/page-checks.ts';
import { skipWithoutChromium } from './browser-session.ts';

let browser: Browser | undefined;
before(async () => {
  browser = skipWithoutChromium ? undefined : await launchChromium();
});
after(() => browser?.close());

test(
  'a DSFR rule removed from the subset is reported when an element of the page matches it',
  { skip: skipWithoutChromium },
  async () => {
    const page = await browser!.newPage();
    try {
      // `fr-btn--fullscreen` and the dark theme are written in none of our files: their rules are not served.
      await page.setContent(
        '<html data-fr-theme="dark"><body><button class="fr-btn fr-btn--fullscreen">Plein écran</button></body></html>',
      );
      const problems = await removedRuleProblems(page, 'page d’essai');
      assert.ok(
        problems.some((p) => p.includes('.fr-btn--fullscreen')),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => p.includes('data-fr-theme=dark')),
        problems.join('\n'),
      );
      await page.setContent('<html><body><button class="fr-btn fr-btn--secondary">Enregistrer</button></body></html>');
      assert.deepEqual(await removedRuleProblems(page, 'page d’essai'), []);
    } finally {
      await page.close();
    }
  },
);
