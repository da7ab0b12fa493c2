import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createRequest, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import type { Page, PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

const STEP_FORM = 'form[action^="/demandes/"]';
const BANNER = /Vos dernières saisies n’étaient pas enregistrées : vérifiez puis enregistrez/;
const typed = {
  recipients:
    'Les agents instructeurs du service « Aides économiques » (Clamart).\nLe responsable du pôle achats — et l’élu délégué.\nDonnées conservées à l’hôtel de ville, salle n° 3 : accès réservé.'.repeat(
      4,
    ),
  retentionMonths: '48',
  retentionJustification:
    'Délai de prescription fixé par l’article L. 110-4 du Code de commerce ;\nau-delà, les pièces sont détruites.',
};

async function member(email = 'agent@clamart.fr') {
  const account = await createAccount(app.db, { email, siret: CLAMART });
  return { account, client: await signedInClient(app.app, email) };
}

const expireSessions = () => app.db('session').update({ expire: app.db.raw("now() - interval '1 second'") });
const stashes = () =>
  app.db('form_stashes').select('*') as Promise<
    { id_hash: string; path: string; user_id: string; payload: Buffer; expires_at: Date }[]
  >;
const requestRow = (id: string) =>
  app.db('access_requests').where({ id }).first() as Promise<{
    version: number;
    answers: Record<string, Record<string, unknown>>;
    status: string;
  }>;

async function signInAgain(client: PageClient, email: string): Promise<Page> {
  await client.get('/connexion');
  const page = await client.submit({ email, password: FIXTURE_PASSWORD });
  assert.equal(page.status, 303, `connexion de ${email}`);
  return page;
}

function stashCookie(page: Page): string | undefined {
  const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('signup-reprise='));
}

/** A member on step 4 of a draft, who types and sends the step after their session has expired. */
async function postAfterExpiry(values: Record<string, string> = typed, headers: Record<string, string> = {}) {
  const { account, client } = await member();
  const id = await createRequest(app.db, account.id, CLAMART);
  const path = `/demandes/${id}/donnees-personnelles`;
  await client.get(path);
  const before = await requestRow(id);
  await expireSessions();
  const page = await client.submit({ action: 'enregistrer', ...values }, { selector: STEP_FORM, headers });
  return { account, client, id, path, before, page };
}

describe('a step sent after the session expired (no JavaScript)', () => {
  it('keeps the values encrypted, sends to the sign-in page, and shows them back once after signing in', async () => {
    const { account, client, id, path, before, page } = await postAfterExpiry();
    assert.equal(page.status, 303);
    assert.equal(page.location, '/connexion');
    const cookie = stashCookie(page) ?? '';
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Path=\//);
    assert.match(cookie, /Max-Age=3600/);
    const after = await requestRow(id);
    assert.equal(after.version, before.version, 'rien n’est enregistré');
    assert.deepEqual(after.answers, before.answers);
    const rows = await stashes();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.path, path);
    assert.equal(String(rows[0]!.user_id), String(account.id));
    assert.match(rows[0]!.id_hash, /^[0-9a-f]{64}$/);
    assert.ok(!rows[0]!.payload.includes(Buffer.from('instructeurs')), 'le contenu est chiffré');
    assert.ok(!rows[0]!.payload.includes(Buffer.from('prescription')));
    assert.ok(
      rows[0]!.expires_at.getTime() - Date.now() > 59 * 60_000 &&
        rows[0]!.expires_at.getTime() - Date.now() <= 3600_000,
    );

    const signIn = await client.get('/connexion');
    assert.match(signIn.$('.fr-alert').text(), /session a expiré.*n’est pas perdu/s);
    const back = await signInAgain(client, account.email);
    assert.equal(back.location, path);
    const restored = await client.get(path);
    assert.equal(restored.status, 200);
    assert.equal(restored.$('#recipients').text(), typed.recipients);
    assert.equal(restored.$('#retentionMonths').attr('value'), typed.retentionMonths);
    assert.equal(restored.$('#retentionJustification').text(), typed.retentionJustification);
    assert.equal(restored.$('#version').attr('value'), String(before.version));
    const banner = restored.$('#saisies-restaurees');
    assert.match(banner.text(), BANNER);
    assert.equal(banner.attr('role'), 'status');
    assert.ok(banner.hasClass('fr-alert--warning'));
    assert.equal((await stashes()).length, 0, 'utilisée une seule fois');
    assert.equal((await requestRow(id)).version, before.version, 'toujours rien d’enregistré');

    const saved = await client.submit({ action: 'enregistrer' }, { selector: STEP_FORM });
    assert.equal(saved.status, 303);
    const again = await client.get(path);
    assert.equal(again.$('#saisies-restaurees').length, 0);
    assert.match(again.$('.fr-alert--success').text(), /Brouillon enregistré/);
    assert.equal(again.$('#recipients').text(), typed.recipients);
    const stored = (await requestRow(id)).answers['donnees-personnelles'];
    assert.equal(stored?.recipients, typed.recipients);
    assert.equal(String(stored?.retentionMonths), '48');
    assert.equal(stored?.retentionJustification, typed.retentionJustification);
  });

  it('shows the values to no one else: another user signing in on the same browser gets the saved draft', async () => {
    const { account, client, path } = await postAfterExpiry();
    const colleague = await createAccount(app.db, { email: 'collegue@clamart.fr', siret: CLAMART });
    assert.equal((await signInAgain(client, colleague.email)).location, path);
    const page = await client.get(path);
    assert.equal(page.$('#saisies-restaurees').length, 0);
    assert.equal(page.$('#recipients').text(), '');
    assert.ok(!page.html.includes('prescription'));
    assert.equal((await stashes()).length, 1, 'la saisie reste à sa propriétaire');
    await client.submit({}, { selector: 'form[action="/deconnexion"]' });
    await signInAgain(client, account.email);
    const mine = await client.get(path);
    assert.match(mine.$('#saisies-restaurees').text(), BANNER);
    assert.equal(mine.$('#recipients').text(), typed.recipients);
  });

  it('ignores and purges a stash older than one hour', async () => {
    const { account, client, path } = await postAfterExpiry();
    await app.db('form_stashes').update({ expires_at: app.db.raw("now() - interval '1 second'") });
    await signInAgain(client, account.email);
    const page = await client.get(path);
    assert.equal(page.$('#saisies-restaurees').length, 0);
    assert.equal(page.$('#recipients').text(), '');
    assert.equal((await stashes()).length, 0);
  });

  it('keeps nothing that looks like a secret, nor the CSRF token or the ticket', async () => {
    const { account, page, path } = await postAfterExpiry({
      ...typed,
      password: 'mon mot de passe secret',
      motDePasse: 'autre secret',
      currentPassword: 'x',
    });
    const id = /^signup-reprise=([^;]+)/.exec(stashCookie(page) ?? '')?.[1] ?? '';
    const values = await app.services.formStashes.take(id, String(account.id), path);
    assert.ok(values);
    assert.deepEqual(Object.keys(values).sort(), [
      'base',
      'recipients',
      'retentionJustification',
      'retentionMonths',
      'version',
    ]);
  });

  it('also keeps what was typed when the 12-hour limit ended the session', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    const path = `/demandes/${id}/donnees-personnelles`;
    await client.get(path);
    await app.db('session').update({
      sess: app.db.raw(
        `jsonb_set(sess::jsonb, '{authAt}', to_jsonb((extract(epoch from now()) * 1000 - 12 * 3600 * 1000 - 1000)::bigint))::json`,
      ),
    });
    const page = await client.submit({ ...typed, action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(page.location, '/connexion');
    assert.equal((await stashes()).length, 1);
    assert.equal((await requestRow(id)).version, 1);
    assert.match((await client.get('/connexion')).$('.fr-alert').text(), /n’est pas perdu/);
    assert.equal((await signInAgain(client, account.email)).location, path);
    assert.equal((await client.get(path)).$('#recipients').text(), typed.recipients);
  });
  it('brings the values back to the step when the user signed in again in another tab meanwhile', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    const path = `/demandes/${id}/donnees-personnelles`;
    await client.get(path);
    const { fields } = client.formFields(STEP_FORM);
    await expireSessions();
    await signInAgain(client, account.email); // the other tab
    const page = await client.post(path, { ...fields, ...typed, action: 'enregistrer' });
    assert.equal(page.status, 303);
    assert.equal(page.location, path);
    assert.equal((await requestRow(id)).version, 1);
    const restored = await client.get(path);
    assert.match(restored.$('#saisies-restaurees').text(), BANNER);
    assert.equal(restored.$('#recipients').text(), typed.recipients);
    const colleague = await createAccount(app.db, { email: 'collegue@clamart.fr', siret: CLAMART });
    await client.submit({}, { selector: 'form[action="/deconnexion"]' });
    await signInAgain(client, colleague.email);
    assert.equal(
      (await client.post(path, { ...fields, ...typed, action: 'enregistrer' })).status,
      403,
      'le ticket d’une autre personne ne vaut rien',
    );
    assert.equal((await stashes()).length, 0);
  });
});

describe('what is never kept nor applied', () => {
  it('answers a submission sent after expiry with the sign-in page, and keeps nothing', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    await client.get(`/demandes/${id}/donnees-personnelles`);
    const { fields } = client.formFields(STEP_FORM);
    await expireSessions();
    const page = await client.post(`/demandes/${id}/soumettre`, fields);
    assert.equal(page.status, 303);
    assert.equal(page.location, '/connexion');
    assert.equal(stashCookie(page), undefined);
    assert.equal((await stashes()).length, 0);
    assert.equal((await requestRow(id)).status, 'draft');
    assert.match((await client.get('/connexion')).$('.fr-alert').text(), /dernière action n’a pas été effectuée/);
    assert.equal((await signInAgain(client, account.email)).location, '/demandes');
  });

  it('refuses a cross-site POST (CSRF) and keeps nothing', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    const path = `/demandes/${id}/donnees-personnelles`;
    await client.get(path);
    const { fields } = client.formFields(STEP_FORM);
    await expireSessions();
    const form = { ...fields, ...typed, action: 'enregistrer' };
    const foreign = await client.post(path, form, { Origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal(stashCookie(foreign), undefined);
    assert.equal((await client.post(path, form, { 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    assert.equal(
      (await client.post(path, form, { 'Sec-Fetch-Site': 'same-site', Origin: 'https://autre.127.0.0.1' })).status,
      403,
    );
    assert.equal((await stashes()).length, 0);
    assert.equal((await requestRow(id)).version, 1);
    await signInAgain(client, account.email);
    assert.equal((await client.get(path)).$('#saisies-restaurees').length, 0);
  });

  it('keeps nothing without a valid ticket for the CSRF token sent', async () => {
    const { account, client } = await member();
    const id = await createRequest(app.db, account.id, CLAMART);
    const path = `/demandes/${id}/donnees-personnelles`;
    await client.get(path);
    const { fields } = client.formFields(STEP_FORM);
    await expireSessions();
    const forged = [
      { ...fields, _jeton_reprise: undefined },
      { ...fields, _csrf: 'un-autre-jeton' },
      { ...fields, _jeton_reprise: String(fields._jeton_reprise).replace(/^\d+\./, '999.') },
    ];
    for (const form of forged) {
      const sent = Object.fromEntries(
        Object.entries({ ...form, ...typed, action: 'enregistrer' }).filter(([, v]) => v !== undefined),
      ) as Record<string, string>;
      const page = await client.post(path, sent, { Origin: 'http://127.0.0.1' });
      assert.equal(page.location, '/connexion');
    }
    assert.equal((await stashes()).length, 0);
  });
});

describe('autosave (htmx) after the session expired', () => {
  it('answers 401 with HX-Redirect to the sign-in page, and the values come back after signing in', async () => {
    const { account, client, path, id, before, page } = await postAfterExpiry(
      { ...typed, action: 'autosave' },
      { 'HX-Request': 'true' },
    );
    assert.equal(page.status, 401);
    assert.equal(page.headers['hx-redirect'], '/connexion');
    assert.match(page.headers.vary ?? '', /HX-Request/);
    assert.equal((await stashes()).length, 1);
    assert.equal((await requestRow(id)).version, before.version);
    assert.equal((await signInAgain(client, account.email)).location, path);
    const restored = await client.get(path);
    assert.match(restored.$('#saisies-restaurees').text(), BANNER);
    assert.equal(restored.$('#recipients').text(), typed.recipients);
    assert.equal(restored.$('#retentionJustification').text(), typed.retentionJustification);
  });
});

describe('a save by someone else while the values waited', () => {
  it('leads to the conflict page when the restored values are saved over a newer version', async () => {
    const { account, client, id, path } = await postAfterExpiry();
    await app
      .db('access_requests')
      .where({ id })
      .update({
        version: 2,
        answers: JSON.stringify({
          'donnees-personnelles': {
            recipients: 'Le service juridique',
            retentionMonths: 12,
            retentionJustification: '',
          },
        }),
      });
    await signInAgain(client, account.email);
    const restored = await client.get(path);
    assert.equal(restored.$('#version').attr('value'), '1');
    const page = await client.submit({ action: 'enregistrer' }, { selector: STEP_FORM });
    assert.equal(page.status, 409);
    assert.equal((await requestRow(id)).answers['donnees-personnelles']?.recipients, 'Le service juridique');
  });
});
