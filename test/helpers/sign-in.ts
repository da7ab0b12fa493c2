import assert from 'node:assert/strict';
import type { Express } from 'express';
import { FIXTURE_PASSWORD } from './fixtures.ts';
import { PageClient } from './page-client.ts';

/** A client signed in through the sign-in form, as a person would (fails the test if sign-in does not succeed). */
export async function signedInClient(app: Express, email: string, password = FIXTURE_PASSWORD): Promise<PageClient> {
  const client = new PageClient(app);
  await client.get('/connexion');
  assert.equal((await client.submit({ email, password })).status, 303, `connexion de ${email}`);
  return client;
}
