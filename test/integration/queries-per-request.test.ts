/**
 * What a page costs the database, counted rather than timed: every statement sent to PostgreSQL by any client of the
 * process (knex, the session store) during one request. A page anyone reads costs nothing for a visitor without a
 * session; the pages of the wizard cost a known, small number of round trips. A change that adds queries to a page
 * shows here as a failing count, on any machine, however busy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createRequest } from '../helpers/fixtures.ts';
import { signedInClient } from '../helpers/sign-in.ts';

const HTMX = { 'HX-Request': 'true' };
const STEP_FORM = 'form[action^="/demandes/"]:has(button[value="continuer"])';
/** Sent once per new pooled connection, not per request. */
const CONNECTION_SETUP = /^\s*(select version\(\)|set )/i;

let app: TestApp;
let statements: string[] = [];
const query = pg.Client.prototype.query;

before(async () => {
  app = await startTestApp();
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    statements.push(typeof first === 'string' ? first : (first?.text ?? ''));
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
});
after(async () => {
  pg.Client.prototype.query = query;
  await app.stop();
});

/** The statements sent while `action` ran (the session store saves while the answer ends: waited for by supertest). */
async function counted(action: () => Promise<unknown>): Promise<string[]> {
  statements = [];
  await action();
  return statements.filter(
    (text) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(text) && !CONNECTION_SETUP.test(text),
  );
}

describe('queries per request', () => {
  it('a page anyone reads costs a visitor without a session no query at all (no session row, no user)', async () => {
    for (const path of ['/', '/cgu', '/accessibilite', '/plan-du-site']) {
      let res: request.Response | undefined;
      const sent = await counted(async () => (res = await request(app.app).get(path)));
      assert.equal(res!.status, 200, path);
      assert.equal(res!.headers['set-cookie'], undefined, `${path} : aucun cookie pour un simple visiteur`);
      assert.deepEqual(sent, [], path);
    }
    const useCases = await counted(() => request(app.app).get('/cas-usage'));
    assert.equal(useCases.length, 1, `la liste des cas d’usage : une requête (${useCases.join(' | ')})`);
  });

  it('a signed-in step page, its autosave and a save with the same text each cost a bounded number of queries', async () => {
    const account = await createAccount(app.db, { email: 'compte@clamart.fr', siret: CLAMART });
    const client = await signedInClient(app.app, 'compte@clamart.fr');
    const id = await createRequest(app.db, account.id, CLAMART);
    const step = `/demandes/${id}/demarche`;
    await client.get(step); // the first visit after sign-in shows (and removes) the session's notice: a write
    const page = await counted(() => client.get(step));
    const { fields } = client.formFields(STEP_FORM);
    const autosave = (title: string) => client.post(step, { ...fields, title, action: 'autosave' }, HTMX);
    let saved: Awaited<ReturnType<typeof autosave>> | undefined;
    const changed = await counted(async () => (saved = await autosave('Un titre qui change')));
    assert.equal(saved!.status, 200);
    fields.version = saved!.$('#version').attr('value') ?? '';
    fields.base = saved!.$('#base').attr('value') ?? '';
    const same = await counted(() => autosave('Un titre qui change'));
    const report = (what: string, list: string[]) => `${what} : ${list.length} requêtes\n  ${list.join('\n  ')}`;
    // The session, its user, the request (and, at most once a minute, the session's new expiry).
    assert.ok(page.length <= 4, report('page d’étape', page));
    // The same three, then the locked row, its update and the event row (in one transaction).
    assert.ok(changed.length <= 7, report('enregistrement automatique', changed));
    // Nothing new to write: the lock shows the stored answers are the same.
    assert.ok(same.length <= 5, report('enregistrement sans changement', same));
  });

  it('a signed-in page reads its session and its user in one statement (no query of the user alone)', async () => {
    const account = await createAccount(app.db, { email: 'seule@clamart.fr', siret: CLAMART });
    const client = await signedInClient(app.app, 'seule@clamart.fr');
    const id = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${id}/demarche`);
    const touch = /^UPDATE "session" SET expire/; // at most once a minute, whatever the page
    const page = (await counted(() => client.get(`/demandes/${id}/demarche`))).filter((text) => !touch.test(text));
    const sessions = page.filter((text) => /from "session"/i.test(text));
    assert.equal(sessions.length, 1, page.join('\n'));
    assert.match(sessions[0]!, /left join "users"/i);
    assert.deepEqual(
      page.filter((text) => /^select .* from "users"/i.test(text)),
      [],
      page.join('\n'),
    );
    assert.equal(page.length, 2, `la session et son utilisateur, la demande : ${page.join(' | ')}`);
  });
});
