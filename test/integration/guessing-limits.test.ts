/**
 * Guessing limits that bursts cannot beat: each guess takes its point before it is checked, atomically, so that 50
 * parallel wrong guesses check at most the limit (the probe had 9 and 7 codes checked against a limit of 5). Second
 * factor (5 per 15 minutes, the fifth answered 429); the password, at sign-in, when confirmed again and when changed
 * (10 wrong ones per account per 5 minutes, shared, then 429).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { totp } from '../../src/domain/totp.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import { PageClient, type Page } from '../helpers/page-client.ts';
import { FIXTURE_TOTP_SECRET, SECOND_FACTOR_PATH } from '../helpers/second-factor.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const BURST = 50;

function tally(pages: Page[]): Record<number, number> {
  return pages.reduce<Record<number, number>>(
    (counts, page) => ({ ...counts, [page.status]: (counts[page.status] ?? 0) + 1 }),
    {},
  );
}

/** A well-formed code that no step of the window accepts. */
function wrongCode(): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((offset) => totp(FIXTURE_TOTP_SECRET, Date.now() + offset * 30_000)));
  for (let n = 0; ; n += 1) if (!valid.has(String(n).padStart(6, '0'))) return String(n).padStart(6, '0');
}

describe('guessing limits under a burst', () => {
  it(`second factor: ${BURST} parallel wrong codes, at most 5 checked`, async () => {
    const admin = await createAccount(app.db, { email: 'admin@signup.localhost', roles: ['admin'] });
    const client = new PageClient(app.app);
    await client.get('/connexion');
    assert.equal(
      (await client.submit({ email: admin.email, password: FIXTURE_PASSWORD })).location,
      SECOND_FACTOR_PATH,
    );
    await client.get(SECOND_FACTOR_PATH);
    const token = client.csrfToken();
    const code = wrongCode();
    const pages = await Promise.all(
      Array.from({ length: BURST }, () => client.post(SECOND_FACTOR_PATH, { _csrf: token, code })),
    );
    const counts = tally(pages);
    const checked = (await app.db('audit_log').where({ actor_id: admin.id, action: 'mfa.failure' })).length;
    assert.ok(checked <= 5, `${checked} codes vérifiés pour une limite de 5 (${JSON.stringify(counts)})`);
    assert.equal((counts[422] ?? 0) + (counts[429] ?? 0), BURST, JSON.stringify(counts));
    assert.ok((counts[422] ?? 0) <= 4, `le cinquième code faux répond déjà 429 (${JSON.stringify(counts)})`);
    const right = await client.post(SECOND_FACTOR_PATH, { _csrf: token, code: totp(FIXTURE_TOTP_SECRET, Date.now()) });
    assert.equal(right.status, 429, 'même le bon code attend la fin de la fenêtre');
  });

  it(`password confirmation: ${BURST} parallel wrong passwords, at most 10 checked`, async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    await client.get('/compte/confirmer-mot-de-passe?retour=/compte/adresse-electronique');
    const token = client.csrfToken();
    // Counts the passwords actually checked (each an argon2 verification).
    const accounts = app.services.accounts;
    const verify = accounts.verifyCurrentPassword;
    let checked = 0;
    accounts.verifyCurrentPassword = (...args) => {
      checked += 1;
      return verify(...args);
    };
    const pages = await Promise.all(
      Array.from({ length: BURST }, (_v, i) =>
        client.post('/compte/confirmer-mot-de-passe', {
          _csrf: token,
          password: `mauvais mot de passe ${i}`,
          retour: '/compte/adresse-electronique',
        }),
      ),
    );
    accounts.verifyCurrentPassword = verify;
    const counts = tally(pages);
    assert.ok(checked <= 10, `${checked} mots de passe vérifiés pour une limite de 10 (${JSON.stringify(counts)})`);
    assert.equal((counts[422] ?? 0) + (counts[429] ?? 0), BURST, JSON.stringify(counts));
    const right = await client.post('/compte/confirmer-mot-de-passe', {
      _csrf: token,
      password: FIXTURE_PASSWORD,
      retour: '/compte/adresse-electronique',
    });
    assert.equal(right.status, 429);
  });

  it('password change: 10 wrong current passwords, then 429, the password unchanged', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    await client.get('/compte/mot-de-passe');
    const token = client.csrfToken();
    const before_ = (await app.db('users').where({ id: account.id }).first()).password_hash;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1)
      statuses.push(
        (
          await client.post('/compte/mot-de-passe', {
            _csrf: token,
            current: `pas le bon ${i}`,
            password: 'un tout nouveau mot de passe',
          })
        ).status,
      );
    assert.deepEqual(statuses, [...Array(10).fill(422), 429, 429]);
    const last = await client.post('/compte/mot-de-passe', {
      _csrf: token,
      current: FIXTURE_PASSWORD,
      password: 'un tout nouveau mot de passe',
    });
    assert.equal(last.status, 429, 'même le bon mot de passe attend la fin de la fenêtre');
    assert.equal((await app.db('users').where({ id: account.id }).first()).password_hash, before_);
  });

  it('a right guess gives its point back: successes never add up to a lock-out', async () => {
    const account = await createAccount(app.db, { email: 'agent@clamart.fr' });
    const client = await signedInClient(app.app, account.email);
    for (let i = 0; i < 12; i += 1) {
      await client.get('/compte/confirmer-mot-de-passe?retour=/compte');
      const page = await client.submit({ password: FIXTURE_PASSWORD });
      assert.equal(page.status, 303, `confirmation ${i + 1}`);
    }
  });
});
