import assert from 'node:assert/strict';
import { saveIncident } from '../../src/repositories/endpoint-status.ts';
import { after, before, describe, it } from 'node:test';
import { totp, timeStep } from '../../src/domain/totp.ts';
import { PAGES } from '../../src/pages/registry.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { qrDrawing } from '../../src/rendering/qr-code.ts';
import {
  createAccount,
  createDecisionTemplate,
  createModerationCase,
  FIXTURE_PASSWORD,
  createWebhook,
} from '../helpers/fixtures.ts';
import { PageClient, errorSummaryTargets, type Page } from '../helpers/page-client.ts';
import { FIXTURE_TOTP_SECRET, SECOND_FACTOR_PATH } from '../helpers/second-factor.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

/** Signs in with the password only: where the sign-in sends to, and the client. */
async function passwordOnly(email: string): Promise<{ client: PageClient; location: string | undefined }> {
  const client = new PageClient(app.app);
  await client.get('/connexion');
  const page = await client.submit({ email, password: FIXTURE_PASSWORD });
  assert.equal(page.status, 303, `connexion de ${email}`);
  return { client, location: page.location };
}

/** A well-formed code that no step of the window accepts. */
function wrongCode(secret: string): string {
  const now = Date.now();
  const valid = new Set([-2, -1, 0, 1, 2].map((offset) => totp(secret, now + offset * 30_000)));
  for (let n = 0; ; n += 1) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

async function audit(userId: string) {
  return (await app.db('audit_log').where({ actor_id: userId }).orderBy('id').select('action', 'details')) as {
    action: string;
    details: Record<string, unknown>;
  }[];
}

async function submitCode(client: PageClient, code: string): Promise<Page> {
  await client.get(SECOND_FACTOR_PATH);
  return client.submit({ code });
}

describe('second factor of staff accounts', () => {
  it('sends an admin without a second factor to the verification for every admin page, then lets them in; the code cannot be reused', async () => {
    const admin = await createAccount(app.db, { email: 'support@signup.localhost', roles: ['admin'] });
    const waiting = await createAccount(app.db, { email: 'prestataire@exemple.fr' });
    const caseId = await createModerationCase(app.db, waiting.id, '21920023500014');
    const templateId = await createDecisionTemplate(app.db);
    const incidentId = await saveIncident(
      app.db,
      { title: 'Panne', message: 'Panne.', startsAt: new Date(), endsAt: null, endpointIds: [] },
      admin.id,
    );
    const webhookId = await createWebhook(app.db, admin.id);
    const { client, location } = await passwordOnly(admin.email);
    assert.equal(location, SECOND_FACTOR_PATH, 'le mot de passe seul mène à la double authentification');

    const adminPages = PAGES.filter((entry) => entry.access === 'admin' && entry.path.startsWith('/admin'));
    assert.ok(adminPages.length >= 4);
    const urls = adminPages.flatMap(
      (entry) =>
        entry.examples ?? [
          entry.path.replace(
            ':id',
            entry.path.startsWith('/admin/modeles')
              ? templateId
              : entry.path.startsWith('/admin/incidents')
                ? incidentId
                : entry.path.startsWith('/admin/webhooks')
                  ? webhookId
                  : caseId,
          ),
        ],
    );
    for (const url of ['/admin', ...urls]) {
      const page = await client.get(url);
      assert.equal(page.status, 303, url);
      assert.equal(page.location, SECOND_FACTOR_PATH, url);
    }
    await client.get(SECOND_FACTOR_PATH);
    const rolesChange = await client.post(`/admin/utilisateurs/${waiting.id}/roles`, {
      _csrf: client.csrfToken(),
      roles: 'admin',
    });
    assert.equal(rolesChange.location, SECOND_FACTOR_PATH);
    assert.deepEqual((await app.db('users').where({ id: waiting.id }).first('roles')).roles, [], 'rien n’a changé');

    const verification = await client.get(SECOND_FACTOR_PATH);
    assert.equal(verification.status, 200);
    assert.equal(verification.$('h1').text(), 'Double authentification');
    assert.equal(
      verification.$('.signup-totp-secret').length,
      0,
      'la clé n’est plus montrée une fois la double authentification activée',
    );
    const code = totp(FIXTURE_TOTP_SECRET, Date.now());
    const sessionCookie = (page: Page) => String(page.headers['set-cookie'] ?? '');
    const passed = await client.submit({ code });
    assert.equal(passed.status, 303);
    assert.equal(passed.location, urls.at(-1), 'retour à la dernière page demandée');
    assert.match(sessionCookie(passed), /=/, 'session régénérée : nouveau cookie');
    for (const url of urls) assert.equal((await client.get(url)).status, 200, url);

    const second = await passwordOnly(admin.email);
    const replay = await submitCode(second.client, code);
    assert.equal(replay.status, 422, 'un code déjà utilisé est refusé');
    assert.match(replay.$('#resume-erreurs').text(), /déjà été utilisé|incorrect/);
    assert.equal((await second.client.get('/admin/moderation')).location, SECOND_FACTOR_PATH);
    const actions = await audit(admin.id);
    assert.deepEqual(
      actions.map((a) => a.action),
      ['mfa.failure'],
    );
    assert.ok(!JSON.stringify(actions).includes(code), 'le code n’est pas journalisé');
  });

  it('the password alone signs nobody in: no account page, no change of address (the takeover found by the probe)', async () => {
    const admin = await createAccount(app.db, { email: 'admin-cible@signup.localhost', roles: ['admin'] });
    const { client, location } = await passwordOnly(admin.email);
    assert.equal(location, SECOND_FACTOR_PATH);
    for (const path of [
      '/compte',
      '/compte/adresse-electronique',
      '/compte/mot-de-passe',
      '/compte/sessions',
      '/demandes',
      '/organisations',
      '/admin',
    ]) {
      const page = await client.get(path);
      assert.deepEqual([page.status, page.location], [303, SECOND_FACTOR_PATH], path);
    }
    const codePage = await client.get(SECOND_FACTOR_PATH);
    assert.equal(
      codePage.$('header form[action="/deconnexion"] button').text().trim(),
      'Se déconnecter',
      'the session can be closed from the code page',
    );
    assert.equal(codePage.$('header a[href="/compte"]').length, 0, 'no « Mon compte »: not signed in');
    const changed = await client.post('/compte/adresse-electronique', {
      _csrf: client.csrfToken(),
      email: 'attaquant@evil.example',
    });
    assert.deepEqual([changed.status, changed.location], [303, SECOND_FACTOR_PATH]);
    const password = await client.post('/compte/mot-de-passe', {
      _csrf: client.csrfToken(),
      current: FIXTURE_PASSWORD,
      password: 'un mot de passe choisi par l’attaquant',
    });
    assert.deepEqual([password.status, password.location], [303, SECOND_FACTOR_PATH]);
    assert.equal(
      (await app.db('email_tokens').where({ user_id: admin.id, purpose: 'email_change' })).length,
      0,
      'no change of address asked',
    );
    assert.equal((await app.db('emails').where({ to_address: 'attaquant@evil.example' })).length, 0);
    const out = await client.post('/deconnexion', { _csrf: client.csrfToken() });
    assert.equal(out.location, '/connexion/deconnecte');
    assert.equal((await client.get(SECOND_FACTOR_PATH)).location, '/connexion', 'signed out: back to the sign-in page');
  });

  it('answers 429 from the fifth wrong code, with Retry-After, and refuses even the right code during the window', async () => {
    const admin = await createAccount(app.db, { email: 'admin2@signup.localhost', roles: ['admin'] });
    const { client } = await passwordOnly(admin.email);
    const malformed = await submitCode(client, '12ab');
    assert.equal(malformed.status, 422, 'un code mal formé n’est pas compté');
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const page = await submitCode(client, wrongCode(FIXTURE_TOTP_SECRET));
      assert.equal(page.status, 422, `essai ${attempt}`);
      assert.match(page.$('title').text(), /^Erreur : /);
    }
    const fifth = await submitCode(client, wrongCode(FIXTURE_TOTP_SECRET));
    assert.equal(fifth.status, 429);
    assert.ok(Number(fifth.headers['retry-after']) > 0, 'Retry-After');
    assert.match(fifth.$('h1').text(), /[Tt]rop/);
    const right = await client.post(SECOND_FACTOR_PATH, {
      _csrf: client.csrfToken(),
      code: totp(FIXTURE_TOTP_SECRET, Date.now()),
    });
    assert.equal(right.status, 429, 'même le bon code est refusé pendant la fenêtre');
    assert.equal((await client.get('/admin/moderation')).location, SECOND_FACTOR_PATH);
    assert.equal((await audit(admin.id)).filter((a) => a.action === 'mfa.failure').length, 5);
  });

  it('never asks applicants', async () => {
    await createAccount(app.db, { email: 'agent@clamart.fr', siret: '21920023500014' });
    const { client, location } = await passwordOnly('agent@clamart.fr');
    assert.equal(location, '/demandes');
    assert.equal((await client.get('/demandes')).status, 200);
    assert.equal((await client.get(SECOND_FACTOR_PATH)).location, '/demandes');
    await client.get('/compte');
    assert.equal(
      (await client.post(SECOND_FACTOR_PATH, { _csrf: client.csrfToken(), code: '123456' })).location,
      '/demandes',
    );
    assert.equal((await client.get('/admin/moderation')).status, 404);
  });

  it('enrols a staff member without a second factor: key shown, wrong confirmation 422, right one enables it, audited, stored encrypted', async () => {
    const instructor = await createAccount(app.db, {
      email: 'instructrice@signup.localhost',
      roles: ['instructor'],
      totp: false,
    });
    const { client, location } = await passwordOnly(instructor.email);
    assert.equal(location, SECOND_FACTOR_PATH);
    const page = await client.get(SECOND_FACTOR_PATH);
    assert.equal(page.status, 200);
    assert.equal(page.$('h1').text(), 'Activer la double authentification');
    const secret = page.$('.signup-totp-secret').text().replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.match(page.$('.signup-totp-secret').text(), /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'groupée par 4');
    assert.ok(
      page.$('main').text().includes(`otpauth://totp/SignUp%3Ainstructrice%40signup.localhost?secret=${secret}`),
    );
    // The QR code: an inline SVG drawn on the server, labelled, encoding the same otpauth address as the text beside it.
    const qr = page.$('figure.signup-qr svg');
    assert.equal(qr.attr('role'), 'img');
    assert.equal(qr.attr('aria-labelledby'), 'qr-legende');
    assert.match(page.$('#qr-legende').text(), /Code QR de configuration/);
    const drawn = qrDrawing(page.$('details code').text());
    assert.equal(qr.find('path').attr('d'), drawn.path, 'le code QR de l’adresse affichée');
    assert.equal(qr.attr('viewBox'), `0 0 ${drawn.size} ${drawn.size}`);
    // the finder pattern's top edge, 7 modules after the quiet zone of 4
    assert.ok(drawn.path.startsWith('M4 4.5h7'), drawn.path.slice(0, 20));
    assert.equal(page.$('script').filter((_i, el) => !page.$(el).attr('src')).length, 0, 'aucun script en ligne');
    const input = page.$('#code');
    assert.match(page.$('label[for="code"]').text().trim(), /^Code à 6 chiffres\s/);
    assert.equal(input.attr('autocomplete'), 'one-time-code');
    assert.equal(input.attr('inputmode'), 'numeric');
    assert.equal(
      (await client.get(SECOND_FACTOR_PATH)).$('.signup-totp-secret').text().replace(/\s/g, ''),
      secret,
      'la même clé tant qu’elle n’est pas confirmée',
    );

    const stored = (await app.db('users').where({ id: instructor.id }).first('totp_secret', 'totp_enabled_at')) as {
      totp_secret: Buffer;
      totp_enabled_at: Date | null;
    };
    assert.ok(stored.totp_secret.length > 28);
    assert.ok(!stored.totp_secret.toString('latin1').includes(secret), 'la clé n’est pas stockée en clair');
    assert.ok(!stored.totp_secret.toString('hex').toUpperCase().includes(secret));
    assert.equal(stored.totp_enabled_at, null);

    const typed = wrongCode(secret);
    const wrong = await client.submit({ code: typed });
    assert.equal(wrong.status, 422);
    assert.match(wrong.$('title').text(), /^Erreur : /);
    assert.deepEqual(errorSummaryTargets(wrong), [{ href: '#code', exists: true }]);
    assert.equal(wrong.$('#code').attr('aria-invalid'), 'true');
    assert.equal(wrong.$('#code').attr('value'), undefined, 'le code saisi n’est pas réaffiché');
    assert.equal((await app.db('users').where({ id: instructor.id }).first('totp_enabled_at')).totp_enabled_at, null);

    const right = await client.submit({ code: totp(secret, Date.now()) });
    assert.equal(right.status, 303);
    assert.equal(right.location, '/compte/codes-de-secours', 'enrolled: the recovery codes first');
    const codesPage = await client.get('/compte/codes-de-secours');
    assert.match(codesPage.$('main').text(), /double authentification est activée/);
    const shown = codesPage
      .$('#codes li')
      .toArray()
      .map((li) => codesPage.$(li).text().trim());
    assert.equal(shown.length, 10);
    for (const code of shown) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    assert.equal(new Set(shown).size, 10);
    assert.equal(codesPage.$('a:contains("J’ai noté mes codes")').attr('href'), '/demandes', 'then the page asked for');
    assert.equal(codesPage.headers['cache-control'], 'no-store');
    const hashes = (await app.db('recovery_codes').where({ user_id: instructor.id })) as { code_hash: Buffer }[];
    assert.equal(hashes.length, 10);
    for (const row of hashes) {
      assert.equal(row.code_hash.length, 32, 'a keyed hash (HMAC-SHA256)');
      for (const code of shown)
        assert.ok(!row.code_hash.toString('latin1').includes(code.replace('-', '')), 'never the code itself');
    }
    const reloaded = await client.get('/compte/codes-de-secours');
    assert.equal(reloaded.$('#codes').length, 0, 'shown once');
    assert.match(reloaded.$('main').text(), /10 codes de secours inutilisés sur 10/);
    const enabled = (await app.db('users').where({ id: instructor.id }).first('totp_enabled_at', 'totp_last_step')) as {
      totp_enabled_at: Date | null;
      totp_last_step: string;
    };
    assert.ok(enabled.totp_enabled_at);
    assert.ok(Math.abs(Number(enabled.totp_last_step) - timeStep(Date.now())) <= 1);
    const actions = await audit(instructor.id);
    assert.deepEqual(
      actions.map((a) => a.action),
      ['mfa.failure', 'mfa.enrolled', 'mfa.recovery_codes_generated'],
    );
    assert.deepEqual(actions[0]?.details, { reason: 'wrong', enrolment: true });
    assert.ok(
      !JSON.stringify(actions).includes(secret) &&
        !JSON.stringify(actions).includes(typed) &&
        shown.every((code) => !JSON.stringify(actions).includes(code)),
      'ni la clé ni le code dans le journal',
    );

    const again = await passwordOnly(instructor.email);
    assert.equal(again.location, SECOND_FACTOR_PATH);
    const verification = await again.client.get(SECOND_FACTOR_PATH);
    assert.equal(verification.$('h1').text(), 'Double authentification', 'vérification, plus d’enrôlement');
    assert.equal(verification.$('.signup-totp-secret').length, 0);
  });
});

describe('recovery codes of the second factor', () => {
  /** A staff member enrolled through the pages: the codes shown once, and the client signed in. */
  async function enrolled(email: string): Promise<{ client: PageClient; id: string; codes: string[] }> {
    const account = await createAccount(app.db, { email, roles: ['instructor'], totp: false });
    const { client } = await passwordOnly(email);
    const page = await client.get(SECOND_FACTOR_PATH);
    const secret = page.$('.signup-totp-secret').text().replace(/\s/g, '');
    assert.equal((await client.submit({ code: totp(secret, Date.now()) })).location, '/compte/codes-de-secours');
    const shown = await client.get('/compte/codes-de-secours');
    const codes = shown
      .$('#codes li')
      .toArray()
      .map((li) => shown.$(li).text().trim());
    assert.equal(codes.length, 10);
    return { client, id: account.id, codes };
  }

  /** Password, then the recovery code page reached from the verification page's link. */
  async function withRecoveryCode(email: string, code: string): Promise<Page> {
    const { client } = await passwordOnly(email);
    const verification = await client.get(SECOND_FACTOR_PATH);
    const link = verification.$('a:contains("Utiliser un code de secours")').attr('href');
    assert.equal(link, '/compte/double-authentification/code-de-secours');
    const form = await client.get(link);
    assert.equal(form.status, 200);
    assert.equal(form.$('h1').text(), 'Utiliser un code de secours');
    const page = await client.submit({ code });
    return Object.assign(page, { client });
  }

  it('signs in once with each code, typed as people type it; a used code is refused; the owner is emailed', async () => {
    const email = 'secours@api-entreprise.gouv.fr';
    const { id, codes } = await enrolled(email);
    const typed = codes[0]!.toLowerCase().replace('-', ' '); // « k7m2q 9xh4t »
    const passed = await withRecoveryCode(email, typed);
    assert.equal(passed.status, 303);
    assert.equal(passed.location, '/demandes');
    const client = (passed as Page & { client: PageClient }).client;
    const home = await client.get('/demandes');
    assert.equal(home.status, 200, 'signed in');
    assert.match(home.$('main').text(), /Code de secours accepté\u00a0: il ne servira plus\. Il vous reste 9 codes/);
    assert.equal((await client.get('/instruction')).status, 200, 'with the second factor passed');

    const mail = (await app.db('emails').where({ to_address: email, template: 'code-de-secours-utilise' })) as {
      subject: string;
      text_body: string;
    }[];
    assert.equal(mail.length, 1);
    assert.equal(mail[0]!.subject, 'Un code de secours a été utilisé pour vous connecter');
    assert.match(mail[0]!.text_body, /Il vous reste 9 codes de secours/);
    assert.match(mail[0]!.text_body, /\/compte\/codes-de-secours$/m);
    assert.ok(!mail[0]!.text_body.includes(codes[0]!), 'never the code');

    const reused = await withRecoveryCode(email, codes[0]!);
    assert.equal(reused.status, 422, 'a used code is refused');
    assert.match(reused.$('title').text(), /^Erreur\u00a0: /);
    assert.deepEqual(errorSummaryTargets(reused), [{ href: '#code', exists: true }]);
    assert.match(reused.$('#resume-erreurs').text(), /déjà été utilisé/);
    assert.equal(reused.$('#code').attr('value'), undefined, 'the code typed is not shown back');
    const malformed = await withRecoveryCode(email, 'abc');
    assert.equal(malformed.status, 422);
    assert.match(malformed.$('#resume-erreurs').text(), /10 caractères/);

    const actions = (await audit(id)).map((a) => a.action);
    assert.deepEqual(actions.slice(-2), ['mfa.recovery_code_used', 'mfa.failure'], 'a malformed code is not a guess');
    const details = JSON.stringify(await audit(id));
    assert.ok(
      codes.every((code) => !details.includes(code)),
      'no code in the audit log',
    );
    const used = await app.db('recovery_codes').where({ user_id: id }).whereNotNull('used_at');
    assert.equal(used.length, 1);
  });

  it('counts wrong recovery codes with the wrong authenticator codes: the fifth answers 429', async () => {
    const email = 'secours-devine@api-entreprise.gouv.fr';
    const { codes } = await enrolled(email);
    const { client } = await passwordOnly(email);
    await client.get('/compte/double-authentification/code-de-secours');
    for (let attempt = 1; attempt <= 4; attempt += 1)
      assert.equal((await client.submit({ code: 'AAAAA-AAAA' + String(attempt) })).status, 422, `essai ${attempt}`);
    const fifth = await client.submit({ code: 'AAAAA-AAAA9' });
    assert.equal(fifth.status, 429);
    const right = await client.post('/compte/double-authentification/code-de-secours', {
      _csrf: client.csrfToken(),
      code: codes[1]!,
    });
    assert.equal(right.status, 429, 'even a right code during the window');
    assert.equal((await client.get('/instruction')).location, SECOND_FACTOR_PATH, 'not signed in');
  });

  it('makes a new set after the password is typed again: the old codes stop working, the new ones work', async () => {
    const email = 'secours-nouveaux@api-entreprise.gouv.fr';
    const { client, id, codes } = await enrolled(email);
    const account = await client.get('/compte');
    assert.equal(
      account.$('a:contains("Mes codes de secours")').attr('href'),
      '/compte/codes-de-secours',
      'reached from « Mon compte »',
    );
    await client.get('/compte/codes-de-secours');
    // Signed in 20 minutes ago: the password first.
    await app.db.raw(
      "UPDATE session SET sess = jsonb_set(sess::jsonb, '{authAt}', to_jsonb(?::bigint))::json WHERE sess ->> 'userId' = ?",
      [Date.now() - 20 * 60_000, id],
    );
    const asked = await client.submit({}, { selector: 'form[action="/compte/codes-de-secours"]' });
    assert.equal(asked.status, 303);
    assert.equal(asked.location, '/compte/confirmer-mot-de-passe?retour=%2Fcompte%2Fcodes-de-secours');
    assert.equal((await app.db('recovery_codes').where({ user_id: id }).whereNull('used_at')).length, 10);
    await client.get(asked.location);
    const confirmed = await client.submit({ password: FIXTURE_PASSWORD });
    assert.equal(confirmed.location, '/compte/codes-de-secours');
    const back = await client.get(confirmed.location);
    assert.equal(back.$('#codes').length, 0, 'nothing made yet: the button is pressed again');
    const made = await client.submit({}, { selector: 'form[action="/compte/codes-de-secours"]' });
    assert.equal(made.status, 303);
    const shown = await client.get('/compte/codes-de-secours');
    assert.match(shown.$('[role="status"]').text(), /les précédents ne fonctionnent plus/);
    const fresh = shown
      .$('#codes li')
      .toArray()
      .map((li) => shown.$(li).text().trim());
    assert.equal(fresh.length, 10);
    assert.ok(fresh.every((code) => !codes.includes(code)));
    assert.equal((await app.db('recovery_codes').where({ user_id: id })).length, 10, 'the old set is gone');

    assert.equal((await withRecoveryCode(email, codes[2]!)).status, 422, 'an old code no longer works');
    assert.equal((await withRecoveryCode(email, fresh[0]!)).status, 303, 'a new one does');
    assert.ok((await audit(id)).filter((a) => a.action === 'mfa.recovery_codes_generated').length === 2);
  });

  it('sends a staff member with three codes or fewer left to the codes page after signing in with one', async () => {
    const email = 'secours-derniers@api-entreprise.gouv.fr';
    const { id, codes } = await enrolled(email);
    // Every code used but the first one shown (the codes are stored in the order they are shown).
    await app.db.raw(
      'UPDATE recovery_codes SET used_at = now() WHERE user_id = ? AND id > (SELECT min(id) FROM recovery_codes WHERE user_id = ?)',
      [id, id],
    );
    const passed = await withRecoveryCode(email, codes[0]!);
    assert.ok(passed, 'the last code passes');
    assert.equal(passed.location, '/compte/codes-de-secours');
    const page = await (passed as Page & { client: PageClient }).client.get('/compte/codes-de-secours');
    assert.match(page.$('[role="status"]').text(), /C’était votre dernier code de secours/);
    assert.match(page.$('main').text(), /0 code de secours inutilisé sur 10/);
  });

  it('is for staff only: applicants get 404, visitors the sign-in page, a password alone the code page', async () => {
    await createAccount(app.db, { email: 'agent-secours@clamart.fr', siret: '21920023500014' });
    const applicant = (await passwordOnly('agent-secours@clamart.fr')).client;
    assert.equal((await applicant.get('/compte/codes-de-secours')).status, 404);
    assert.equal((await applicant.get('/compte')).$('a:contains("codes de secours")').length, 0);
    const visitor = new PageClient(app.app);
    assert.equal((await visitor.get('/compte/codes-de-secours')).location, '/connexion');
    assert.equal((await visitor.get('/compte/double-authentification/code-de-secours')).location, '/connexion');
    await createAccount(app.db, { email: 'admin-secours@signup.localhost', roles: ['admin'] });
    const pending = (await passwordOnly('admin-secours@signup.localhost')).client;
    assert.equal((await pending.get('/compte/codes-de-secours')).location, SECOND_FACTOR_PATH);
    const notEnrolled = await createAccount(app.db, {
      email: 'nouvel-instructeur@api-entreprise.gouv.fr',
      roles: ['instructor'],
      totp: false,
    });
    const enrolling = (await passwordOnly(notEnrolled.email)).client;
    assert.equal(
      (await enrolling.get('/compte/double-authentification/code-de-secours')).location,
      SECOND_FACTOR_PATH,
      'no codes before the enrolment',
    );
  });
});
