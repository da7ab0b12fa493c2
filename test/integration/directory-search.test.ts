import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { PageClient } from '../helpers/page-client.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

describe('finding one’s SIRET by name', () => {
  it('lists matching establishments with SIRET, address and status, accents and case ignored (no JS)', async () => {
    const page = await new PageClient(app.app).get('/recherche-organisation?nom=Clamart&retour=/inscription');
    assert.equal(page.status, 200);
    const items = page
      .$('#resultats li')
      .toArray()
      .map((li) => page.$(li).text().replace(/\s+/g, ' '));
    assert.ok(items.length >= 2);
    assert.match(items[0]!, /COMMUNE DE CLAMART.*SIRET 21920023500014.*Ouvert/);
    assert.ok(
      items.some((text) => /21920023500022.*Fermé/.test(text)),
      'les établissements fermés sont montrés comme tels',
    );
    assert.equal(page.$('#resultats a[href="/inscription?siret=21920023500014"]').length, 1);
    assert.equal(
      page.$('#resultats a[href="/inscription?siret=21920023500022"]').length,
      0,
      'un établissement fermé ne se choisit pas',
    );
    assert.match(page.$('title').text(), /Recherche « Clamart »/);
  });

  it('answers the htmx live search with the results fragment only', async () => {
    const page = await new PageClient(app.app).get('/recherche-organisation?nom=departement%20rhone', {
      'HX-Request': 'true',
    });
    assert.equal(page.$('title').length, 0);
    assert.match(String(page.headers.vary), /HX-Request/);
    assert.match(page.$('#resultats').text(), /DEPARTEMENT DU RHONE/);
  });

  it('explains short and empty searches, and never sends the user elsewhere', async () => {
    const client = new PageClient(app.app);
    assert.match((await client.get('/recherche-organisation?nom=ab')).$('#resultats').text(), /au moins 3 lettres/);
    assert.match(
      (await client.get('/recherche-organisation?nom=zzzzzzzz')).$('#resultats').text(),
      /Aucune organisation/,
    );
    const evil = await client.get('/recherche-organisation?nom=clamart&retour=https://evil.example');
    assert.equal(evil.$('#resultats a[href^="https://evil"]').length, 0);
  });

  it('comes back to the sign-up form with the SIRET looked up', async () => {
    const page = await new PageClient(app.app).get('/inscription?siret=21920023500014');
    assert.equal(page.$('#siret').attr('value'), '21920023500014');
    assert.match(page.$('.signup-organisation-card').text(), /COMMUNE DE CLAMART/);
  });
});
