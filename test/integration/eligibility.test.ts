import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HtmlValidate } from 'html-validate';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { errorSummaryTargets, PageClient } from '../helpers/page-client.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

async function formPage() {
  const client = new PageClient(app.app);
  await client.get('/eligibilite');
  return client;
}

describe('eligibility check without JavaScript', () => {
  it('shows an accessible form', async () => {
    const client = new PageClient(app.app);
    const page = await client.get('/eligibilite');
    assert.equal(page.status, 200);
    assert.equal(page.$('title').text(), 'Vérifier l’éligibilité de votre organisation – SignUp');
    const input = page.$('#siret');
    assert.equal(page.$('label[for="siret"]').length, 1);
    assert.equal(input.attr('aria-describedby'), 'siret-messages');
    assert.equal(input.attr('aria-required'), 'true');
    assert.equal(page.$('#siret-messages').attr('aria-live'), 'polite');
    assert.equal(page.$('#statut-formulaire').attr('role'), 'status');
    assert.equal(page.$('form').attr('novalidate'), '');
  });

  it('answers 422 with an error summary, the input kept and the field flagged', async () => {
    const client = await formPage();
    const page = await client.submit({ siret: '130 025 265 0001' });
    assert.equal(page.status, 422);
    assert.equal(page.$('title').text(), 'Erreur : Vérifier l’éligibilité de votre organisation – SignUp');
    assert.deepEqual(errorSummaryTargets(page), [{ href: '#siret', exists: true }]);
    assert.equal(page.$('#siret').attr('value'), '130 025 265 0001');
    assert.equal(page.$('#siret').attr('aria-invalid'), 'true');
    assert.match(page.$('#siret-erreur').text(), /14 chiffres \(vous en avez saisi 13\), par exemple 13002526500013/);
    assert.equal(page.$('#resume-erreurs a').text(), page.$('#siret-erreur').text());
  });

  it('redirects with 303 to the result of a valid SIRET typed with spaces', async () => {
    const client = await formPage();
    const page = await client.submit({ siret: ' 130 025 265 00013 ' });
    assert.equal(page.status, 303);
    assert.equal(page.location, '/eligibilite/13002526500013');
  });

  const results: [string, RegExp][] = [
    ['13002526500013', /Votre organisation est éligible/],
    ['55203253400703', /Votre organisation ne semble pas éligible/],
    ['21920023500022', /Cet établissement est fermé/],
    ['73282932000074', /Établissement introuvable/],
  ];
  for (const [siret, verdict] of results) {
    it(`gives the verdict for ${siret}`, async () => {
      const page = await new PageClient(app.app).get(`/eligibilite/${siret}`);
      assert.equal(page.status, 200);
      assert.match(page.$('.fr-alert__title').text(), verdict);
    });
  }

  it('names the legal category of a private company, not only its code, and gives the support’s address', async () => {
    const company = await new PageClient(app.app).get('/eligibilite/55203253400703');
    assert.match(company.$('main').text(), /5599 – SA à conseil d’administration \(s\.a\.i\.\)/);
    const unknown = await new PageClient(app.app).get('/eligibilite/73282932000074');
    assert.match(
      unknown.$('main').text(),
      /support@entreprise\.api\.gouv\.fr/,
      'the support is named with its address',
    );
  });

  it('answers 404 for a malformed SIRET in the URL', async () => {
    for (const path of ['/eligibilite/123', '/eligibilite/13002526500012', '/eligibilite/130%20025']) {
      assert.equal((await new PageClient(app.app).get(path)).status, 404, path);
    }
  });

  const badInputs: [string, RegExp][] = [
    ['', /Saisissez le numéro SIRET/],
    ['abcdefghijklmn', /que des chiffres/],
    ['1'.repeat(41), /14 chiffres/],
    ['13002526500012', /un chiffre est probablement erroné/],
    ['<script>alert(1)</script>', /que des chiffres/],
  ];
  for (const [siret, message] of badInputs) {
    it(`explains in French what is wrong with « ${siret.slice(0, 20)} »`, async () => {
      const client = await formPage();
      const page = await client.submit({ siret });
      assert.equal(page.status, 422);
      assert.match(page.$('#siret-erreur').text(), message);
      assert.doesNotMatch(page.html, /<script>alert/);
    });
  }
});

describe('eligibility check with htmx', () => {
  const htmx = { 'HX-Request': 'true', 'HX-Trigger': 'siret', 'HX-Target': 'siret-groupe' };

  it('swaps the field group with its error (422) and announces it in the live region', async () => {
    const client = await formPage();
    const page = await client.submit({ siret: '123' }, { headers: htmx });
    assert.equal(page.status, 422);
    assert.match(String(page.headers.vary), /HX-Request/);
    assert.equal(page.$('html').length === 0 || page.$('title').length, 0, 'un fragment, pas une page');
    assert.equal(page.$('#siret-groupe').hasClass('fr-input-group--error'), true);
    assert.equal(page.$('#siret').attr('aria-invalid'), 'true');
    assert.equal(page.$('#siret').attr('value'), '123');
    assert.equal(page.$('#statut-formulaire').attr('data-hx-swap-oob'), 'innerHTML');
    assert.match(page.$('#statut-formulaire').text(), /^Erreur : Le SIRET doit contenir 14 chiffres/);
  });

  it('marks a well-formed SIRET as valid (200) without saving or redirecting', async () => {
    const client = await formPage();
    const page = await client.submit({ siret: '13002526500013' }, { headers: htmx });
    assert.equal(page.status, 200);
    assert.equal(page.$('#siret-groupe').hasClass('fr-input-group--valid'), true);
    assert.match(page.$('#siret-valide').text(), /format du SIRET est correct/);
    assert.equal(page.$('#siret').attr('aria-invalid'), undefined);
  });

  it('sends Vary: HX-Request on the plain answer too', async () => {
    const client = await formPage();
    const page = await client.submit({ siret: '123' });
    assert.match(String(page.headers.vary), /HX-Request/);
  });

  it('returns fragments that are valid HTML once placed in a page', async () => {
    const client = await formPage();
    const fragment = (await client.submit({ siret: '123' }, { headers: htmx })).html;
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(
      `<!DOCTYPE html><html lang="fr"><head><title>Fragment</title></head><body><main><form method="post" action="/eligibilite">${fragment}<button type="submit">Vérifier</button></form></main></body></html>`,
    );
    assert.equal(
      report.valid,
      true,
      JSON.stringify(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))),
    );
  });
});
