/**
 * PDF attachments of the legal step (size limits, allow-list by content, storage out of the web root, download headers, interrupted and refused uploads): by content,
 * 10 MB each, 6 at most, outside the web root, downloadable only by members of the request's organisation, and an
 * upload that fails or breaks off never loses the rest of the step.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { htmlErrors } from '../helpers/browser.ts';
import { CLAMART, createAccount, createRequest } from '../helpers/fixtures.ts';
import {
  cookieHeader,
  interruptedPost,
  multipartBody,
  pdf,
  postMultipart,
  type FormPart,
} from '../helpers/multipart.ts';
import { errorSummaryTargets, PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

const uploadDir = mkdtempSync(path.join(tmpdir(), 'signup-pieces-'));
let app: TestApp;
before(async () => {
  app = await startTestApp({ UPLOAD_DIR: uploadDir });
});
after(async () => {
  await app.stop();
  rmSync(uploadDir, { recursive: true, force: true });
});
beforeEach(() => app.reset());

const STEP_FORM = 'form[action^="/demandes/"]';
const MB = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LEGAL = { nature: 'deliberation', reference: 'Délibération du conseil municipal du 12 mars 2026', url: '' };

async function member(email = 'agent@clamart.fr') {
  const account = await createAccount(app.db, { email, siret: CLAMART });
  return { account, client: await signedInClient(app.app, email) };
}

/** A member's draft whose legal step already holds `answers` (saved earlier). */
async function draft(answers: Record<string, unknown> = LEGAL, email = 'agent@clamart.fr') {
  const { account, client } = await member(email);
  const id = await createRequest(app.db, account.id, CLAMART);
  await app
    .db('access_requests')
    .where({ id })
    .update({ answers: JSON.stringify({ 'cadre-juridique': answers }) });
  return { account, client, id };
}

const file = (filename: string, content: Buffer, type = 'application/pdf'): FormPart => ({
  name: 'pieces',
  filename,
  content,
  type,
});

/** The attach button of the step page, as a browser sends it: the CSRF token first, then the files. */
async function attach(client: PageClient, id: string, files: FormPart[], fields: Record<string, string> = {}) {
  await client.get(`/demandes/${id}/cadre-juridique`);
  const parts: FormPart[] = [
    { name: '_csrf', value: client.csrfToken() },
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ...files,
  ];
  return postMultipart(client, `/demandes/${id}/pieces-jointes`, parts);
}

const rows = (id: string) => app.db('attachments').where({ request_id: id }).orderBy('id');
const storedFiles = () => readdirSync(uploadDir);

async function download(client: PageClient, href: string) {
  return client.agent
    .get(href)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

describe('attaching a PDF', () => {
  it('keeps it under a random name, mode 0600, outside public/, and lists it on the step and the summary', async () => {
    const { client, id } = await draft();
    const content = pdf(200 * 1024);
    const before_ = storedFiles().length;
    const page = await attach(client, id, [file('Délibération 2026-03.pdf', content)]);
    assert.equal(page.status, 303);
    assert.equal(page.location, `/demandes/${id}/cadre-juridique`);
    const [row] = await rows(id);
    assert.equal(row.original_name, 'Délibération 2026-03.pdf');
    assert.equal(row.size, content.length);
    assert.equal(row.media_type, 'application/pdf');
    assert.match(row.storage_key, UUID);
    assert.equal(
      row.scan_status,
      'unscanned',
      'sans CLAMD_URL (hors production), le fichier n’est pas analysé et le dit',
    );
    assert.equal(
      (await app.db('graphile_worker._private_jobs').where({ key: `scan:${row.id}` })).length,
      0,
      'aucune analyse en file',
    );
    const onDisk = path.join(uploadDir, row.storage_key);
    assert.equal(statSync(onDisk).mode & 0o777, 0o600);
    assert.deepEqual(readFileSync(onDisk), content);
    assert.equal(storedFiles().length, before_ + 1, 'aucun fichier temporaire laissé');
    assert.ok(!path.resolve(uploadDir).startsWith(path.resolve('public')), 'hors de public/');

    const step = await client.get(`/demandes/${id}/cadre-juridique`);
    assert.match(step.$('#pieces-jointes-statut').text(), /« Délibération 2026-03\.pdf » est joint/);
    assert.equal(step.$('#pieces-jointes-statut').attr('role'), 'status');
    const link = step.$(`#piece-${row.id} a`);
    assert.equal(link.attr('href'), `/demandes/${id}/pieces-jointes/${row.id}`);
    assert.match(link.text(), /Délibération 2026-03\.pdf\s+PDF – 200 ko/);
    assert.equal(step.$(`#piece-${row.id} .fr-badge`).text(), 'Non analysé');
    assert.equal(step.$('#nature option[selected]').attr('value'), 'deliberation', 'les champs enregistrés restent');
    assert.match(step.$('label[for="url"]').text(), /\(facultatif\)/, 'l’adresse devient facultative avec un PDF');
    const firstButton = step.$(STEP_FORM).find('button[type="submit"]').first();
    assert.equal(
      firstButton.attr('value'),
      'continuer',
      'Entrée dans un champ vaut « Continuer », jamais « Supprimer »',
    );
    assert.equal((await client.get(`/demandes/${id}/pieces-jointes`)).location, `/demandes/${id}/cadre-juridique`);
    const summary = await client.get(`/demandes/${id}/recapitulatif`);
    assert.equal(
      summary
        .$(`#recapitulatif-pieces-jointes a[href="/demandes/${id}/pieces-jointes/${row.id}"]`)
        .text()
        .trim()
        .startsWith('Délibération 2026-03.pdf'),
      true,
    );
    assert.deepEqual(await htmlErrors(step.html, 'étape cadre juridique avec pièce jointe'), []);
    assert.deepEqual(await htmlErrors(summary.html, 'récapitulatif avec pièce jointe'), []);
  });

  it('saves what was typed with the upload, and shows it back when the file is refused', async () => {
    const { client, id } = await draft({ nature: 'loi', reference: 'Ancienne référence', url: '' });
    await client.get(`/demandes/${id}/cadre-juridique`);
    const { fields } = client.formFields(STEP_FORM);
    const typed = { ...fields, nature: 'arrete', reference: 'Arrêté du 4 avril 2026', action: 'joindre' };
    const ok = await postMultipart(client, `/demandes/${id}/pieces-jointes`, [
      ...Object.entries(typed).map(([name, value]) => ({ name, value })),
      file('arrete.pdf', pdf()),
    ]);
    assert.equal(ok.status, 303);
    const stored = (await app.db('access_requests').where({ id }).first()).answers['cadre-juridique'];
    assert.equal(stored.reference, 'Arrêté du 4 avril 2026');
    const step = await client.get(`/demandes/${id}/cadre-juridique`);
    assert.equal(step.$('#reference').attr('value'), 'Arrêté du 4 avril 2026');
    assert.match(step.$('.fr-alert--success').first().text(), /Brouillon enregistré/);

    const again = {
      ...client.formFields(STEP_FORM).fields,
      reference: 'Arrêté modifié',
      url: 'legifrance',
      action: 'joindre',
    };
    const refused = await postMultipart(client, `/demandes/${id}/pieces-jointes`, [
      ...Object.entries(again).map(([name, value]) => ({ name, value })),
      file('x.pdf', Buffer.from('MZ\x90\x00 not a pdf', 'latin1')),
    ]);
    assert.equal(refused.status, 422);
    assert.equal(refused.$('#reference').attr('value'), 'Arrêté modifié', 'la saisie est réaffichée');
    assert.equal(refused.$('#url').attr('value'), 'legifrance');
    assert.deepEqual(
      errorSummaryTargets(refused).map((t) => t.href),
      ['#url', '#pieces'],
    );
    assert.equal((await rows(id)).length, 1);
  });
});

describe('refused files', () => {
  it('checks the content, not the name: an executable or an HTML page renamed .pdf gets 422 on the file input', async () => {
    const { client, id } = await draft();
    const baseline = storedFiles().length;
    const exe = Buffer.concat([
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'),
      Buffer.alloc(300, 0),
    ]);
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');
    const fakeHeader = Buffer.from('<html>%PDF-1.7</html>');
    // What starts like a PDF but is none (the probe's cases): a PDF parser does not read it.
    const fiveBytes = Buffer.from('%PDF-');
    const png = Buffer.concat([
      Buffer.from('%PDF-'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(400, 0x41),
    ]);
    const polyglot = Buffer.from(
      '%PDF-1.4\n<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>',
    );
    for (const [name, content] of [
      ['programme.pdf', exe],
      ['page.pdf', html],
      ['entete.pdf', fakeHeader],
      ['cinq-octets.pdf', fiveBytes],
      ['image.pdf', png],
      ['polyglotte.pdf', polyglot],
    ] as const) {
      const page = await attach(client, id, [file(name, content)]);
      assert.equal(page.status, 422, name);
      assert.match(page.$('title').text(), /^Erreur : Étape 3 sur 6 : Cadre juridique/);
      assert.deepEqual(errorSummaryTargets(page), [{ href: '#pieces', exists: true }]);
      assert.equal(page.$('#pieces').attr('aria-invalid'), 'true');
      assert.equal(page.$('#pieces').attr('aria-describedby'), 'pieces-messages');
      assert.match(
        page.$('#pieces-messages .fr-message--error').text(),
        new RegExp(`« ${name.replace('.', '\\.')} » n’est pas un PDF`),
      );
      assert.equal(page.$('#reference').attr('value'), LEGAL.reference, 'les champs enregistrés restent affichés');
      assert.equal(page.$('#nature option[selected]').attr('value'), LEGAL.nature);
      assert.deepEqual(await htmlErrors(page.html, `refus ${name}`), []);
    }
    assert.equal((await rows(id)).length, 0);
    assert.equal(storedFiles().length, baseline, 'aucun fichier gardé');
  });

  it('refuses a file over 10 MB on the step page (413, French message), and accepts exactly 10 MB', async () => {
    const { client, id } = await draft();
    const baseline = storedFiles().length;
    const big = await attach(client, id, [file('gros.pdf', pdf(10 * MB + 1))]);
    assert.equal(big.status, 413);
    assert.match(big.$('#pieces-erreur').text(), /« gros\.pdf » dépasse 10 Mo/);
    assert.equal(big.$('#reference').attr('value'), LEGAL.reference);
    assert.equal((await rows(id)).length, 0);
    assert.equal(storedFiles().length, baseline);
    const exact = await attach(client, id, [file('juste.pdf', pdf(10 * MB))]);
    assert.equal(exact.status, 303);
    assert.equal((await rows(id))[0].size, 10 * MB);
  });

  it('keeps six files at most: the seventh is refused', async () => {
    const { client, id } = await draft();
    const six = await attach(
      client,
      id,
      [1, 2, 3, 4, 5, 6].map((n) => file(`annexe-${n}.pdf`, pdf(0, `annexe ${n}`))),
    );
    assert.equal(six.status, 303);
    const full = await client.get(`/demandes/${id}/cadre-juridique`);
    assert.equal(full.$('input[type="file"]').length, 0, 'plus de champ de fichier');
    assert.match(full.$('#pieces').text(), /Six fichiers sont joints/);
    const token = client.csrfToken();
    const seventh = await postMultipart(client, `/demandes/${id}/pieces-jointes`, [
      { name: '_csrf', value: token },
      file('annexe-7.pdf', pdf()),
    ]);
    assert.equal(seventh.status, 422);
    assert.match(seventh.$('#resume-erreurs').text(), /« annexe-7\.pdf » n’est pas joint : 6 fichiers au plus/);
    assert.equal((await rows(id)).length, 6);
    const other = await draft(LEGAL, 'collegue@clamart.fr');
    const seven = await attach(
      other.client,
      other.id,
      [1, 2, 3, 4, 5, 6, 7].map((n) => file(`p${n}.pdf`, pdf())),
    );
    assert.equal(seven.status, 422, 'sept fichiers d’un coup');
    assert.match(seven.$('#pieces-erreur').text(), /plus de 6 fichiers/);
  });

  it('says so when no file was chosen', async () => {
    const { client, id } = await draft();
    const page = await attach(client, id, [file('', Buffer.alloc(0), 'application/octet-stream')]);
    assert.equal(page.status, 422);
    assert.match(page.$('#pieces-erreur').text(), /Choisissez le fichier PDF à joindre/);
  });

  it('keeps a hostile file name as metadata only', async () => {
    const { client, id } = await draft();
    const baseline = storedFiles().length;
    const raw = await attach(client, id, [file('../../etc/passwd\0.pdf', pdf())]);
    assert.equal(raw.status, 400, 'un octet nul brut dans l’en-tête : corps mal formé, rien n’est gardé');
    assert.equal(storedFiles().length, baseline);
    const encoded: FormPart = {
      name: 'pieces',
      filename: '',
      filenameParam: "filename*=UTF-8''..%2F..%2Fetc%2Fpasswd%00.pdf",
      content: pdf(),
    };
    const page = await attach(client, id, [encoded, file('rapport \\"final\\".pdf', pdf())]);
    assert.equal(page.status, 303);
    const [first, second] = await rows(id);
    assert.equal(first.original_name, 'passwd.pdf');
    assert.equal(second.original_name, 'rapport "final".pdf');
    assert.ok(
      storedFiles().every((name) => UUID.test(name)),
      'seuls des noms aléatoires sur le disque',
    );
    const res = await download(client, `/demandes/${id}/pieces-jointes/${second.id}`);
    assert.equal(
      res.headers['content-disposition'],
      'attachment; filename="rapport _final_.pdf"; filename*=UTF-8\'\'rapport%20%22final%22.pdf',
    );
  });
});

describe('who may download', () => {
  it('serves the exact bytes to members with safe headers; another organisation, a pending member or another request get 404', async () => {
    const { account, client, id } = await draft();
    const content = pdf(64 * 1024);
    await attach(client, id, [file('Délibération n°12.pdf', content)]);
    const [row] = await rows(id);
    const href = `/demandes/${id}/pieces-jointes/${row.id}`;
    const res = await download(client, href);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, content);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(
      res.headers['content-disposition'],
      'attachment; filename="Deliberation n_12.pdf"; filename*=UTF-8\'\'D%C3%A9lib%C3%A9ration%20n%C2%B012.pdf',
    );
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-security-policy'], 'sandbox');
    assert.equal(res.headers['cache-control'], 'private, no-store');

    await createAccount(app.db, { email: 'agent@rhone.fr', siret: '22690001700014' });
    const stranger = await signedInClient(app.app, 'agent@rhone.fr');
    assert.equal((await stranger.get(href)).status, 404);
    assert.equal((await stranger.get(`/demandes/${id}/cadre-juridique`)).status, 404);
    const strangerId = await createRequest(
      app.db,
      (await app.db('users').where({ email: 'agent@rhone.fr' }).first()).id,
      '22690001700014',
    );
    await stranger.get(`/demandes/${strangerId}/cadre-juridique`);
    const token = stranger.csrfToken();
    assert.equal(
      (
        await postMultipart(stranger, `/demandes/${id}/pieces-jointes`, [
          { name: '_csrf', value: token },
          file('intrus.pdf', pdf()),
        ])
      ).status,
      404,
    );
    assert.equal(
      (await stranger.post(`/demandes/${id}/pieces-jointes/${row.id}/supprimer`, { _csrf: token })).status,
      404,
    );
    assert.equal(
      (await stranger.get(`/demandes/${strangerId}/pieces-jointes/${row.id}`)).status,
      404,
      'la pièce d’une autre demande',
    );

    await createAccount(app.db, { email: 'attente@clamart.fr', siret: CLAMART, membership: 'pending' });
    const waiting = await signedInClient(app.app, 'attente@clamart.fr');
    assert.equal((await waiting.get(href)).status, 404);

    const ownOther = await createRequest(app.db, account.id, CLAMART);
    assert.equal(
      (await client.get(`/demandes/${ownOther}/pieces-jointes/${row.id}`)).status,
      404,
      'pièce d’une autre demande de la même organisation',
    );
    assert.equal((await client.get(`/demandes/${id}/pieces-jointes/abc`)).status, 404);
    await client.get(`/demandes/${id}/cadre-juridique`);
    assert.equal(
      (await client.post(`/demandes/${id}/pieces-jointes/abc/supprimer`, { _csrf: client.csrfToken() })).status,
      404,
    );
    assert.equal((await new PageClient(app.app).get(href)).location, '/connexion');
    assert.equal((await rows(id)).length, 1);
  });

  it('refuses an upload without the CSRF token, before writing anything', async () => {
    const { client, id } = await draft();
    const baseline = storedFiles().length;
    const page = await postMultipart(client, `/demandes/${id}/pieces-jointes`, [
      file('a.pdf', pdf(2 * MB)),
      { name: '_csrf', value: 'faux' },
    ]);
    assert.equal(page.status, 403);
    assert.equal((await rows(id)).length, 0);
    assert.equal(storedFiles().length, baseline);
  });
});

describe('an interrupted upload', () => {
  it('leaves no row and no file, changes nothing of the draft, and the next upload succeeds', async () => {
    const { client, id } = await draft();
    const { url, server } = await app.listen();
    await client.get(`/demandes/${id}/cadre-juridique`);
    // 50 times, the browser goes away after half of a 15 MB body.
    const { body, contentType } = multipartBody([
      { name: '_csrf', value: client.csrfToken() },
      file('coupe.pdf', pdf(15 * MB)),
    ]);
    const headers = { Cookie: cookieHeader(client), 'Content-Type': contentType };
    const baseline = storedFiles().length;
    const before_ = await app.db('access_requests').where({ id }).first();
    const backToBaseline = async () => {
      const deadline = Date.now() + 10_000;
      while (storedFiles().length !== baseline && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      return storedFiles().length;
    };
    for (let i = 0; i < 50; i++) {
      // Cut once the server has started writing the file: its temporary file must then disappear.
      await interruptedPost(
        url,
        `/demandes/${id}/pieces-jointes`,
        headers,
        body,
        Math.floor(body.length / 2),
        async () => storedFiles().length > baseline,
      );
      assert.equal(await backToBaseline(), baseline, `envoi ${i + 1} : aucun fichier temporaire orphelin`);
    }
    assert.equal((await rows(id)).length, 0);
    const after_ = await app.db('access_requests').where({ id }).first();
    assert.deepEqual([after_.version, after_.answers], [before_.version, before_.answers]);
    const next = await attach(client, id, [file('entier.pdf', pdf(4 * MB))]);
    assert.equal(next.status, 303);
    assert.equal((await rows(id)).length, 1);
    server.closeAllConnections();
  });
});

describe('the legal step with attachments', () => {
  it('« Continuer » passes with a PDF and no address, and fails with neither; the summary follows the same rule', async () => {
    const { client, id } = await draft();
    await client.get(`/demandes/${id}/cadre-juridique`);
    const neither = await client.submit({ ...LEGAL, action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(neither.status, 422);
    assert.match(neither.$('#url-erreur').text(), /https:\/\/.*ou joignez le texte en PDF/);
    assert.match(
      (await client.get(`/demandes/${id}/recapitulatif`)).$('#etape-cadre-juridique h2').text(),
      /À compléter/,
    );
    await attach(client, id, [file('texte.pdf', pdf())]);
    await client.get(`/demandes/${id}/cadre-juridique`);
    const withPdf = await client.submit({ ...LEGAL, action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(withPdf.status, 303);
    assert.equal(withPdf.location, `/demandes/${id}/donnees-personnelles`);
    assert.match((await client.get(`/demandes/${id}/recapitulatif`)).$('#etape-cadre-juridique h2').text(), /Complète/);
  });

  it('removes a file while the request is a draft; after submission attachments are read-only but still shown', async () => {
    const { client, id } = await draft();
    await attach(client, id, [file('un.pdf', pdf()), file('deux.pdf', pdf())]);
    const [first, second] = await rows(id);
    const step = await client.get(`/demandes/${id}/cadre-juridique`);
    const remove = step.$(`#piece-${first.id} button`);
    assert.equal(remove.attr('formaction'), `/demandes/${id}/pieces-jointes/${first.id}/supprimer`);
    assert.match(remove.text(), /Supprimer le fichier « un\.pdf »/);
    const removed = await client.post(remove.attr('formaction')!, client.formFields(STEP_FORM).fields);
    assert.equal(removed.status, 303);
    assert.deepEqual(
      (await rows(id)).map((r: { id: string }) => r.id),
      [second.id],
    );
    assert.ok(!storedFiles().includes(first.storage_key), 'le fichier est effacé du disque');
    assert.match(
      (await client.get(`/demandes/${id}/cadre-juridique`)).$('#pieces-jointes-statut').text(),
      /« un\.pdf » est supprimé/,
    );

    await app.db('access_requests').where({ id }).update({ status: 'submitted' });
    const token = client.csrfToken();
    assert.equal(
      (await client.post(`/demandes/${id}/pieces-jointes/${second.id}/supprimer`, { _csrf: token })).status,
      409,
    );
    assert.equal(
      (
        await postMultipart(client, `/demandes/${id}/pieces-jointes`, [
          { name: '_csrf', value: token },
          file('tard.pdf', pdf()),
        ])
      ).status,
      409,
    );
    assert.equal((await rows(id)).length, 1);
    const readOnly = await client.get(`/demandes/${id}/cadre-juridique`);
    assert.equal(
      readOnly.$(`#recapitulatif-piece-${second.id} a`).attr('href'),
      `/demandes/${id}/pieces-jointes/${second.id}`,
      'the step of a submitted request shows its answers read-only',
    );
    assert.equal(
      readOnly.$('main form, main button, main input').length,
      0,
      'no field, no button: nothing that cannot be saved',
    );
    assert.doesNotMatch(readOnly.$('main').text(), /brouillon/i, 'a submitted request is not spoken of as a draft');
    assert.match(readOnly.$('main .fr-alert').text(), /transmise : elle n’est plus modifiable/);
    const summary = await client.get(`/demandes/${id}/recapitulatif`);
    assert.equal(
      summary.$(`#recapitulatif-pieces-jointes a[href="/demandes/${id}/pieces-jointes/${second.id}"]`).length,
      1,
    );
    assert.equal((await download(client, `/demandes/${id}/pieces-jointes/${second.id}`)).status, 200);
  });
});
