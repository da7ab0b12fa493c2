/**
 * Autosave outages for autosave.test.ts (a failed autosave keeps the input and says so): Playwright answers the htmx autosave POST of a step in
 * place of the server (500, no answer, no network) or lets it through, and counts the requests the page sends.
 */
import type { Page, Request, Route } from 'playwright-core';

export type Outage = 'none' | 'server-error' | 'no-answer' | 'offline';

export const AUTOSAVE_FAILED =
  'Échec de l’enregistrement automatique : votre saisie est toujours là. Réessayez, ou utilisez le bouton « Enregistrer le brouillon ».';
export const SAVED = /^Brouillon enregistré à \d{1,2} h \d{2}$/;

export const isAutosave = (request: Request) =>
  request.method() === 'POST' && request.headers()['hx-request'] === 'true';

export type OutageControl = { set: (outage: Outage) => void; sent: () => number; release: () => Promise<void> };

/** Intercepts the autosave of the step at `path` (other requests, such as the form's own POST, go through). */
export async function controlAutosave(page: Page, path: string): Promise<OutageControl> {
  let outage: Outage = 'none';
  let sent = 0;
  const held: Route[] = [];
  await page.route(
    (url) => url.pathname === path,
    async (route) => {
      if (!isAutosave(route.request())) return route.continue();
      sent += 1;
      if (outage === 'server-error')
        return route.fulfill({ status: 500, contentType: 'text/html; charset=utf-8', body: '<p>Erreur interne</p>' });
      if (outage === 'offline') return route.abort('internetdisconnected');
      if (outage === 'no-answer') return void held.push(route); // htmx's timeout gives up on it
      return route.continue();
    },
  );
  return {
    set: (next) => void (outage = next),
    sent: () => sent,
    release: async () => {
      for (const route of held.splice(0)) await route.abort().catch(() => undefined); // the browser may have cancelled it
    },
  };
}

/**
 * Waits until the page shows the failure: the alert box revealed with its message, the draft state emptied, and
 * « Réessayer » usable again (no request in flight).
 */
export async function waitForFailure(page: Page): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const box = document.getElementById('brouillon-echec');
      const retry = document.getElementById('brouillon-reessayer');
      return (
        box !== null &&
        !box.hidden &&
        document.getElementById('brouillon-echec-message')?.textContent === expected &&
        document.getElementById('brouillon-etat')?.textContent === '' &&
        retry !== null &&
        !retry.hasAttribute('aria-disabled')
      );
    },
    AUTOSAVE_FAILED,
    { timeout: 20_000 },
  );
}

/** Waits until the last autosave succeeded: failure box hidden, « Brouillon enregistré à … » in the live region. */
export async function waitForSaved(page: Page): Promise<void> {
  await page.waitForFunction(
    (pattern) =>
      document.getElementById('brouillon-echec')?.hidden === true &&
      new RegExp(pattern).test(document.getElementById('statut-formulaire')?.textContent?.trim() ?? ''),
    SAVED.source,
    { timeout: 20_000 },
  );
}

/** The failure as a person and a screen reader get it: the alert's text, its visibility, the focused element. */
export async function failureView(
  page: Page,
): Promise<{ alert: string; visible: boolean; retryVisible: boolean; focused: string }> {
  const alert = page.getByRole('alert').filter({ hasText: 'Échec de l’enregistrement automatique' });
  return {
    alert: (await alert.textContent())?.trim() ?? '',
    visible: await alert.isVisible(),
    retryVisible: await page
      .getByRole('button', { name: 'Réessayer l’enregistrement automatique', exact: true })
      .isVisible(),
    focused: await page.evaluate(() => document.activeElement?.id ?? ''),
  };
}
