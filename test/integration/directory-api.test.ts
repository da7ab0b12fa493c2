import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { PageClient } from '../helpers/page-client.ts';

// A local stand-in for the recherche-entreprises API: answers one known SIRET, hangs on another.
const KNOWN = '21310555400017';
const SLOW = '21690123100011';
let calls = 0;
let api: Server;
let app: TestApp;

before(async () => {
  api = createServer((req, res) => {
    calls += 1;
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q');
    if (q === SLOW) return; // never answers: the adapter's timeout must end the wait
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        results:
          q !== KNOWN
            ? []
            : [
                {
                  siren: '213105554',
                  nom_complet: 'Commune de Toulouse',
                  nature_juridique: '7210',
                  sigle: null,
                  siege: {
                    siret: KNOWN,
                    etat_administratif: 'A',
                    adresse: '1 PLACE DU CAPITOLE 31000 TOULOUSE',
                    code_postal: '31000',
                    libelle_commune: 'TOULOUSE',
                    activite_principale: '84.11Z',
                  },
                },
              ],
      }),
    );
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const { port } = api.address() as { port: number };
  app = await startTestApp({ SIRENE_API_URL: `http://127.0.0.1:${port}`, SIRENE_API_TIMEOUT_MS: '300' });
});
after(async () => {
  await app.stop();
  api.closeAllConnections();
  await new Promise((resolve) => api.close(resolve));
});

describe('directory API fallback', () => {
  it('finds a SIRET missing from the table, stores it, and does not ask again', async () => {
    const page = await new PageClient(app.app).get(`/eligibilite/${KNOWN}`);
    assert.match(page.$('.fr-alert__title').text(), /Votre organisation est éligible/);
    assert.match(page.$('main').text(), /COMMUNE DE TOULOUSE/);
    assert.match(page.$('main').text(), /1 PLACE DU CAPITOLE, 31000, TOULOUSE/);
    const before_ = calls;
    await new PageClient(app.app).get(`/eligibilite/${KNOWN}`);
    assert.equal(calls, before_, 'la deuxième consultation vient de la table');
  });

  it('gives up after its timeout and answers "not found" instead of hanging', async () => {
    const started = Date.now();
    const page = await new PageClient(app.app).get(`/eligibilite/${SLOW}`);
    assert.ok(Date.now() - started < 2000);
    assert.match(page.$('.fr-alert__title').text(), /Établissement introuvable/);
  });
});
