/**
 * The queries of every signed-in request, built once by knex and sent as named prepared statements: the same rows as
 * knex would give, on the transaction when there is one; and the session read with its user in one statement.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compiledQuery } from '../../src/db/compiled-query.ts';
import { sessionWithUser } from '../../src/repositories/sessions.ts';
import { findUserById, userColumns } from '../../src/repositories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount } from '../helpers/fixtures.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

const byEmail = compiledQuery<[string], { id: string; email: string }>('test-users-by-email', (db, email) =>
  db('users').where({ email }).whereNotNull('activated_at').select('id', 'email').orderBy('id').limit(5),
);

describe('compiled queries', () => {
  it('give the rows knex gives, for each call’s own values', async () => {
    const first = await createAccount(app.db, { email: 'une@clamart.fr', siret: CLAMART });
    const second = await createAccount(app.db, { email: 'deux@clamart.fr', siret: CLAMART });
    assert.deepEqual(await byEmail(app.db, 'une@clamart.fr'), [{ id: first.id, email: 'une@clamart.fr' }]);
    assert.deepEqual(await byEmail(app.db, 'deux@clamart.fr'), [{ id: second.id, email: 'deux@clamart.fr' }]);
    assert.deepEqual(await byEmail(app.db, 'personne@clamart.fr'), []);
    const user = await findUserById(app.db, first.id);
    assert.equal(user?.id, first.id);
    assert.equal(user?.email, 'une@clamart.fr');
    assert.deepEqual(user, await app.db('users').where({ id: first.id }).first(userColumns('users')));
    assert.equal(await findUserById(app.db, '999999999'), undefined);
  });

  it('run on the transaction they are given (its uncommitted rows are seen)', async () => {
    const account = await createAccount(app.db, { email: 'trois@clamart.fr', siret: CLAMART });
    await app.db
      .transaction(async (trx) => {
        await trx('users').where({ id: account.id }).update({ email: 'trois.bis@clamart.fr' });
        assert.equal((await byEmail(trx, 'trois.bis@clamart.fr')).length, 1);
        assert.equal((await byEmail(app.db, 'trois.bis@clamart.fr')).length, 0, 'hors de la transaction : pas encore');
        await trx.rollback();
      })
      .catch(() => undefined);
  });

  it('refuse a query that is not a read of rows, or that does not bind each parameter', async () => {
    const single = compiledQuery<[string], unknown>('test-first', (db, email) => db('users').where({ email }).first());
    await assert.rejects(single(app.db, 'x'), /limit\(1\), pas first\(\)/);
    const unbound = compiledQuery<[string], unknown>('test-unbound', (db) => db('users').select('id'));
    await assert.rejects(unbound(app.db, 'x'), /paramètre 0/);
    await assert.rejects(byEmail(app.db, undefined as unknown as string), /paramètre absent/);
  });

  it('read a session and the user it names in one statement; a session without a user, or expired, as the store would', async () => {
    const account = await createAccount(app.db, { email: 'quatre@clamart.fr', siret: CLAMART });
    const expire = new Date(Date.now() + 60_000);
    await app.db('session').insert([
      { sid: 'avec-utilisateur', sess: { cookie: {}, userId: account.id }, expire },
      { sid: 'sans-utilisateur', sess: { cookie: {}, notice: 'x' }, expire },
      { sid: 'identifiant-bizarre', sess: { cookie: {}, userId: '1 OR 1=1' }, expire },
      { sid: 'expiree', sess: { cookie: {}, userId: account.id }, expire: new Date(Date.now() - 1000) },
    ]);
    const found = await sessionWithUser(app.db, 'avec-utilisateur');
    assert.deepEqual(found?.sess, { cookie: {}, userId: account.id });
    assert.deepEqual(found?.user, await findUserById(app.db, account.id));
    assert.deepEqual(await sessionWithUser(app.db, 'sans-utilisateur'), {
      sess: { cookie: {}, notice: 'x' },
      user: null,
    });
    assert.equal((await sessionWithUser(app.db, 'identifiant-bizarre'))?.user, null);
    assert.equal(await sessionWithUser(app.db, 'expiree'), undefined);
    assert.equal(await sessionWithUser(app.db, 'inconnue'), undefined);
  });
});
