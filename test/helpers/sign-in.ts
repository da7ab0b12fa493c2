import assert from 'node:assert/strict';
import type { Express } from 'express';
import { FIXTURE_PASSWORD } from './fixtures.ts';
import { PageClient } from './page-client.ts';
import { nextCode, SECOND_FACTOR_PATH } from './second-factor.ts';

/**
 * A client signed in through the sign-in form, as a person would (fails the test if sign-in does not succeed). Staff
 * accounts then pass the second factor as a person would too: the code of their authenticator app (see `nextCode`:
 * never a code already used, so two sign-ins of one account in the same 30 seconds use two different steps), or,
 * when not enrolled yet, the enrolment with the key shown on the page.
 */
export async function signedInClient(
  app: Express | string,
  email: string,
  password = FIXTURE_PASSWORD,
): Promise<PageClient> {
  const client = new PageClient(app);
  await client.get('/connexion');
  const signedIn = await client.submit({ email, password });
  assert.equal(signedIn.status, 303, `connexion de ${email}`);
  if (signedIn.location === SECOND_FACTOR_PATH) {
    const page = await client.get(SECOND_FACTOR_PATH);
    const shownKey = page.$('.signup-totp-secret').text().replace(/\s/g, '');
    const code = await nextCode(typeof app === 'string' ? serverScope(app) : app, email, shownKey || undefined);
    const verified = await client.submit({ code });
    assert.equal(
      verified.status,
      303,
      `double authentification de ${email} : ${verified.$('#resume-erreurs').text().trim()}`,
    );
  }
  return client;
}

/** One scope of used second-factor steps per server reached by its URL (an app passed itself is its own scope). */
const servers = new Map<string, object>();
function serverScope(url: string): object {
  if (!servers.has(url)) servers.set(url, {});
  return servers.get(url)!;
}
