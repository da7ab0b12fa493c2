/**
 * No account enumeration: for an address with an account and one without, sign-up, the password reset request and
 * sign-in answer the same page and write the same rows while the person waits; what differs happens later, in the
 * job queue. That both paths also hash or verify a password (services/accounts.ts) shows in the timing, measured by
 * `npm run bench:enumeration` (bench/README.md): asserted here, it would fail on a busy machine for no reason.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/fixtures.ts';
import { PageClient, type Page } from '../helpers/page-client.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const person = {
  givenName: 'Marie',
  familyName: 'Durand',
  password: 'quatre chevaux mangent du foin',
  siret: '21920023500014',
  confirmation: 'oui',
  action: 'creer',
};

async function post(path: string, fields: Record<string, string>): Promise<Page> {
  const client = new PageClient(app.app);
  await client.get(path);
  return client.submit(fields);
}

/** The rows of each table that a call adds, by table. */
async function rowsAdded(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const tables = ['users', 'email_tokens', 'emails', 'audit_log', 'graphile_worker._private_jobs'];
  const count = async () =>
    Object.fromEntries(
      await Promise.all(
        tables.map(
          async (table) => [table, Number(((await app.db(table).count('* as n').first()) as { n: string }).n)] as const,
        ),
      ),
    );
  const before_ = await count();
  await run();
  const after_ = await count();
  return Object.fromEntries(tables.map((table) => [table, after_[table]! - before_[table]!]));
}

/** The same page, token and request id set aside. */
const sameAnswer = (a: Page, b: Page) =>
  [a.status, a.location, a.$('main').text().trim()].join('|') ===
  [b.status, b.location, b.$('main').text().trim()].join('|');

describe('no account enumeration', () => {
  it('a reset request: the same answer, and the same work (one job queued, no email yet) for a known and an unknown address', async () => {
    await createAccount(app.db, { email: 'connu@clamart.fr' });
    let known: Page | undefined;
    let unknown: Page | undefined;
    const knownRows = await rowsAdded(
      async () => (known = await post('/mot-de-passe-oublie', { email: 'connu@clamart.fr' })),
    );
    const unknownRows = await rowsAdded(
      async () => (unknown = await post('/mot-de-passe-oublie', { email: 'inconnu@clamart.fr' })),
    );
    assert.ok(sameAnswer(known!, unknown!));
    assert.equal(known!.location, '/mot-de-passe-oublie/envoye');
    assert.deepEqual(knownRows, unknownRows, 'the same rows written while the person waits');
    assert.equal(knownRows.emails, 0, 'the email is written by the job, later');
  });

  it('a sign-up: the same answer for a known and a new address, and one email queued either way', async () => {
    await createAccount(app.db, { email: 'connu@clamart.fr' });
    let known: Page | undefined;
    let fresh: Page | undefined;
    const knownRows = await rowsAdded(
      async () => (known = await post('/inscription', { ...person, email: 'connu@clamart.fr' })),
    );
    const freshRows = await rowsAdded(
      async () => (fresh = await post('/inscription', { ...person, email: 'nouveau@clamart.fr' })),
    );
    assert.ok(sameAnswer(known!, fresh!));
    assert.equal(known!.location, '/inscription/confirmation');
    assert.equal(knownRows.emails, 1, 'the owner of the known address is told');
    assert.equal(freshRows.emails, 1, 'the new address gets its activation link');
  });

  it('a sign-in: the same answer for a wrong password and an unknown address, and a failure counted either way', async () => {
    await createAccount(app.db, { email: 'connu@clamart.fr' });
    let known: Page | undefined;
    let unknown: Page | undefined;
    const knownRows = await rowsAdded(
      async () =>
        (known = await post('/connexion', { email: 'connu@clamart.fr', password: 'un mauvais mot de passe' })),
    );
    const unknownRows = await rowsAdded(
      async () =>
        (unknown = await post('/connexion', { email: 'inconnu@clamart.fr', password: 'un mauvais mot de passe' })),
    );
    assert.ok(sameAnswer(known!, unknown!));
    assert.equal(known!.status, 422);
    assert.deepEqual(knownRows, unknownRows);
    const failures = async (email: string) =>
      Number(
        ((await app.db('rate_limits').whereLike('key', `%${email}`).first('points')) as { points: number } | undefined)
          ?.points ?? 0,
      );
    assert.deepEqual(
      [await failures('connu@clamart.fr'), await failures('inconnu@clamart.fr')],
      [1, 1],
      'a failure counted for both addresses',
    );
  });
});
