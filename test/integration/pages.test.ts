import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PAGES } from '../../src/pages/registry.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createModerationCase, createRegistryRequests, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import { importLegacyFixtures } from '../helpers/legacy.ts';
import { PageClient, type Page } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

async function signedIn(email: string, roles: string[] = []): Promise<PageClient> {
  await createAccount(app.db, { email, roles, siret: roles.length ? undefined : '21920023500014' });
  return signedInClient(app.app, email, FIXTURE_PASSWORD);
}

/** Every concrete URL of the registry with who may see it; `examplesFrom` entries are resolved by following links. */
async function registryUrls(
  clients: Record<'public' | 'user' | 'instructor' | 'admin' | 'second-factor', PageClient>,
): Promise<[string, PageClient][]> {
  const waiting = await createAccount(app.db, { email: 'prestataire@exemple.fr' });
  await createModerationCase(app.db, waiting.id, '21920023500014');
  const member = (await app.db('users').where({ email: 'agent@clamart.fr' }).first('id')) as { id: string };
  await createRegistryRequests(app.db, member.id, '21920023500014');
  const instructor = (await app.db('users').where({ email: 'instructrice@signup.localhost' }).first('id')) as {
    id: string;
  };
  await importLegacyFixtures(app.database.url, app.db, { authorizationId: '1', by: instructor.id });
  await clients.public.get('/dev/courriels');
  await clients.public.submit({});
  const urls: [string, PageClient][] = [];
  for (const entry of PAGES) {
    const client = clients[entry.access ?? 'public'];
    const others = (entry.alsoAs ?? []).map((access) => clients[access]);
    const add = (paths: string[]) =>
      urls.push(...paths.flatMap((path) => [client, ...others].map((c) => [path, c] as [string, PageClient])));
    if (entry.examples) add(entry.examples);
    else if (entry.examplesFrom) {
      const pattern = new RegExp(`^${entry.path.replace(/:[a-z]+/g, '[^/]+')}$`);
      const page = await client.get(entry.examplesFrom);
      add([
        ...new Set(
          page
            .$('a[href]')
            .toArray()
            .map((a) => page.$(a).attr('href') as string)
            .filter((href) => pattern.test(href)),
        ),
      ]);
    } else add([entry.path]);
  }
  return urls;
}

const FOOTER_LINKS = ['/plan-du-site', '/accessibilite', '/mentions-legales', '/donnees-personnelles'];

function checkLayout(url: string, page: Page) {
  const { $ } = page;
  assert.equal($('html').attr('lang'), 'fr', url);
  assert.equal($('h1').length, 1, `${url} : un seul h1`);
  assert.equal($('main#contenu').length, 1, url);
  assert.equal($('body a').first().attr('href'), '#contenu', `${url} : le premier lien mène au contenu`);
  assert.equal($('header').length, 1, url);
  assert.equal($('footer').length, 1, url);
  assert.ok($('nav[aria-label]').length >= 2, `${url} : navigations nommées`);
  for (const href of FOOTER_LINKS)
    assert.equal($(`footer a[href="${href}"]`).length, 1, `${url} : lien ${href} dans le pied de page`);
  assert.match(
    $('footer a[href="/accessibilite"]').text(),
    /^Accessibilité : (non|partiellement|totalement) conforme$/,
  );
  assert.equal($('meta[http-equiv="refresh"]').length, 0, url);
  assert.equal($('a[target="_blank"]').length, 0, url);
  assert.equal($('[style]').length, 0, `${url} : aucun style en ligne (CSP)`);
  assert.equal($('script:not([src])').length, 0, `${url} : aucun script en ligne (CSP)`);
}

describe('every page of the registry', () => {
  it('has the layout every page needs, a unique title, and the right status', async () => {
    await createAccount(app.db, { email: 'instruction@signup.localhost', roles: ['instructor'] });
    const passwordOnly = new PageClient(app.app);
    await passwordOnly.get('/connexion');
    assert.equal(
      (await passwordOnly.submit({ email: 'instruction@signup.localhost', password: FIXTURE_PASSWORD })).location,
      '/compte/double-authentification',
    );
    const clients = {
      public: new PageClient(app.app),
      user: await signedIn('agent@clamart.fr'),
      instructor: await signedIn('instructrice@signup.localhost', ['instructor']),
      admin: await signedIn('support@signup.localhost', ['admin']),
      'second-factor': passwordOnly,
    };
    const urls = await registryUrls(clients);
    assert.ok(urls.length >= PAGES.length);
    const titles = new Map<string, string>();
    for (const [url, client] of urls) {
      const page = await client.get(url);
      const expected = url.startsWith('/dev/erreurs/') ? Number(url.split('/').pop()) : 200;
      assert.equal(page.status, expected, url);
      checkLayout(url, page);
      const title = page.$('title').text();
      assert.match(title, / – SignUp$/, url);
      assert.notEqual(title, 'SignUp');
      if (!url.startsWith('/dev/erreurs/')) {
        assert.ok(
          !titles.has(title) || titles.get(title) === url,
          `titre « ${title} » partagé par ${url} et ${titles.get(title)}`,
        );
        titles.set(title, url);
      }
    }
  });

  it('lists the public pages in the site map', async () => {
    const page = await new PageClient(app.app).get('/plan-du-site');
    for (const entry of PAGES.filter((p) => p.inSitemap)) {
      assert.equal(page.$(`#plan-du-site-liste a[href="${entry.path}"]`).length, 1, entry.path);
    }
  });

  it('shows the mandatory accessibility declaration sections', async () => {
    const page = await new PageClient(app.app).get('/accessibilite');
    const headings = page
      .$('main h2')
      .toArray()
      .map((h) => page.$(h).text().trim());
    for (const heading of [
      'État de conformité',
      'Résultats des tests',
      'Contenus non accessibles',
      'Établissement de cette déclaration',
      'Retour d’information et contact',
      'Voies de recours',
    ]) {
      assert.ok(
        headings.some((h) => h.replace(/'/g, '’') === heading),
        `section « ${heading} »`,
      );
    }
    assert.ok(page.$('main a[href*="defenseurdesdroits.fr"]').length >= 1);
    assert.match(page.$('main').text(), /non conforme/);
  });

  it('lists the pages and states actually tested, the tools, and what is known not to conform', async () => {
    const page = await new PageClient(app.app).get('/accessibilite');
    const text = page.$('main').text();
    for (const entry of PAGES.filter((p) => p.area !== 'dev'))
      assert.ok(text.includes(entry.label), `page testée « ${entry.label} »`);
    for (const tool of ['axe-core', 'Nu HTML Checker', 'html-validate', 'Playwright', '320 pixels'])
      assert.ok(text.includes(tool), tool);
    assert.match(text, /première visite/);
    assert.match(text, /Non-conformité connue à ce jour/);
    assert.doesNotMatch(text, /n’ont relevé aucune non-conformité/, 'no claim the tests cannot support');
  });

  it('promises on the home page only what exists after approval', async () => {
    const home = await new PageClient(app.app).get('/');
    assert.doesNotMatch(home.$('main').text(), /onglet\s*«\s*Jetons/u);
    assert.match(home.$('main').text(), /jetons d’accès/);
  });

  it('shows the use cases of the catalogue and the data each brings', async () => {
    const client = new PageClient(app.app);
    const list = await client.get('/cas-usage');
    assert.equal(list.$('main h2 a[href="/cas-usage/marches_publics"]').text(), 'Marchés publics');
    assert.equal(
      list.$('main h2 a[href^="/cas-usage/portail_gru"]').length,
      0,
      'les anciens formulaires ne sont pas proposés',
    );
    const detail = await client.get('/cas-usage/marches_publics');
    assert.equal(detail.$('h1').text(), 'Marchés publics');
    assert.ok(detail.$('main h3').length >= 2, 'données groupées comme dans le catalogue');
    assert.match(detail.$('main').text(), /Attestation fiscale|attestation fiscale/i);
    assert.equal((await client.get('/cas-usage/inconnu')).status, 404);
  });
});
