/**
 * Route × actor matrix, generated from the Express router: every route with an identifier in its
 * path is called as each actor, with its method, and compared with the expected matrix below. Another organisation's
 * request (or its attachment) answers 404, never 403, so that identifiers leak nothing; anonymous visitors are sent
 * to sign in. A new route with an identifier fails this test until it is added to the matrix.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  CLAMART,
  createAccount,
  createDecisionTemplate,
  createWebhook,
  createApiToken,
  createAuthorization,
  createModerationCase,
  createRequest,
  FIXTURE_PASSWORD,
} from '../helpers/fixtures.ts';
import { SECOND_FACTOR_PATH } from '../helpers/second-factor.ts';
import { saveIncident } from '../../src/repositories/endpoint-status.ts';
import { pdf, postMultipart } from '../helpers/multipart.ts';
import { PageClient, type Page } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

/** `passwordOnly`: an admin who typed the password but not the second factor (not signed in: sent to the code page). */
const ACTORS = [
  'owner',
  'member',
  'pending',
  'stranger',
  'instructor',
  'reporter',
  'admin',
  'passwordOnly',
  'anonymous',
] as const;
type Actor = (typeof ACTORS)[number];
const MEMBERS: Actor[] = ['owner', 'member'];
/** Instruction reads every submitted request; only instructors act on one. */
const READERS: Actor[] = ['instructor', 'reporter'];
const INSTRUCTORS: Actor[] = ['instructor'];
const DECISION_ROUTES = ['valider', 'refuser', 'modifications', 'revoquer'].flatMap((kind) => [
  [`GET /instruction/demandes/:id/${kind}`, INSTRUCTORS] as const,
  [`POST /instruction/demandes/:id/${kind}`, INSTRUCTORS] as const,
]);

/** Who may use each route (everyone else: 404, or the sign-in page when anonymous). */
const EXPECTED: Record<string, Actor[]> = {
  'GET /demandes/:id': MEMBERS,
  'GET /demandes/:id/recapitulatif': MEMBERS,
  'POST /demandes/:id/soumettre': MEMBERS,
  'POST /demandes/:id/archiver': MEMBERS,
  'POST /demandes/:id/copier': MEMBERS,
  'GET /demandes/:id/:etape': MEMBERS,
  'POST /demandes/:id/:etape': MEMBERS,
  'GET /demandes/:id/pieces-jointes': MEMBERS,
  'POST /demandes/:id/pieces-jointes': MEMBERS,
  'GET /demandes/:id/pieces-jointes/:pieceId': MEMBERS,
  'GET /demandes/:id/pieces-jointes/:pieceId/supprimer': MEMBERS,
  'POST /demandes/:id/pieces-jointes/:pieceId/supprimer': MEMBERS,
  'POST /demandes/:id/messages': MEMBERS,
  'GET /instruction/demandes/:id': READERS,
  'GET /instruction/demandes/:id/pieces-jointes/:pieceId': READERS,
  ...Object.fromEntries(DECISION_ROUTES),
  'POST /instruction/demandes/:id/messages': INSTRUCTORS,
  'POST /instruction/demandes/:id/notes': INSTRUCTORS,
  'POST /instruction/demandes/:id/attribution': INSTRUCTORS,
  'GET /tableau-de-bord/habilitations/:id': MEMBERS,
  'GET /tableau-de-bord/habilitations/:id/pieces-jointes/:pieceId': MEMBERS,
  'POST /tableau-de-bord/habilitations/:id/renouveler': MEMBERS,
  'GET /tableau-de-bord/jetons/:id/renouveler': MEMBERS,
  'POST /tableau-de-bord/jetons/:id/renouveler': MEMBERS,
  'GET /tableau-de-bord/jetons/:id/revoquer': MEMBERS,
  'POST /tableau-de-bord/jetons/:id/revoquer': MEMBERS,
  // A dossier of démarches simplifiées with the organisation's SIRET: its members read it, instruction links it.
  'GET /demandes/anterieures/:numero': MEMBERS,
  'GET /instruction/demarches-simplifiees/:numero': READERS,
  'POST /instruction/demarches-simplifiees/:numero/habilitation': INSTRUCTORS,
  'POST /instruction/demarches-simplifiees/:numero/habilitation/retirer': INSTRUCTORS,
  'GET /admin/moderation/:id': ['admin'],
  'POST /admin/moderation/:id': ['admin'],
  'POST /admin/utilisateurs/:id/roles': ['admin'],
  'GET /admin/modeles/:id': ['admin'],
  'POST /admin/modeles/:id': ['admin'],
  'POST /admin/modeles/:id/supprimer': ['admin'],
  'GET /admin/incidents/:id': ['admin'],
  'GET /admin/webhooks/:id': ['admin'],
  'POST /admin/webhooks/:id/activer': ['admin'],
  'POST /admin/webhooks/:id/livraisons/:deliveryId/rejouer': ['admin'],
  'POST /admin/incidents/:id': ['admin'],
  'POST /admin/incidents/:id/clore': ['admin'],
};
/** Routes with an identifier that are public on purpose, or absent in production. */
const PUBLIC = new Set([
  'GET /assets/:file',
  'GET /cas-usage/:id',
  'GET /eligibilite/:siret',
  'GET /dev/courriels/:id',
  'GET /dev/erreurs/:code',
]);

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every "METHOD path" of the app, read from the router itself. */
function routesOf(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const { path, methods } = layer.route;
      return Object.keys(methods)
        .filter((m) => m !== '_all')
        .flatMap((m) => ([] as string[]).concat(path).map((p) => `${m.toUpperCase()} ${p}`));
    }
    return layer.handle?.stack ? routesOf(layer.handle.stack) : [];
  });
}

let app: TestApp;
let clients: Record<Actor, PageClient>;
let ids: Record<Actor, string>;

before(async () => {
  app = await startTestApp();
  const accounts = {
    owner: await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART }),
    member: await createAccount(app.db, { email: 'collegue@clamart.fr', siret: CLAMART }),
    pending: await createAccount(app.db, { email: 'attente@clamart.fr', siret: CLAMART, membership: 'pending' }),
    stranger: await createAccount(app.db, { email: 'agent@rhone.fr', siret: '22690001700014' }),
    instructor: await createAccount(app.db, { email: 'instructeur@api-entreprise.gouv.fr', roles: ['instructor'] }),
    reporter: await createAccount(app.db, { email: 'rapporteur@api-entreprise.gouv.fr', roles: ['reporter'] }),
    admin: await createAccount(app.db, { email: 'admin@api-entreprise.gouv.fr', roles: ['admin'] }),
  };
  ids = Object.fromEntries(Object.entries(accounts).map(([actor, a]) => [actor, a.id])) as Record<Actor, string>;
  const signedIn = await Promise.all(
    Object.entries(accounts).map(async ([actor, a]) => [actor, await signedInClient(app.app, a.email)] as const),
  );
  await createAccount(app.db, { email: 'admin2@api-entreprise.gouv.fr', roles: ['admin'] });
  const passwordOnly = new PageClient(app.app);
  await passwordOnly.get('/connexion');
  assert.equal(
    (await passwordOnly.submit({ email: 'admin2@api-entreprise.gouv.fr', password: FIXTURE_PASSWORD })).location,
    SECOND_FACTOR_PATH,
  );
  clients = { ...Object.fromEntries(signedIn), passwordOnly, anonymous: new PageClient(app.app) } as Record<
    Actor,
    PageClient
  >;
  for (const actor of ACTORS)
    await clients[actor].get(
      actor === 'anonymous' ? '/connexion' : actor === 'passwordOnly' ? SECOND_FACTOR_PATH : '/compte',
    );
});
after(() => app.stop());

/**
 * A fresh request of the owner's organisation, with one attachment, a moderation case and a user to change;
 * `submitted`: then sent to instruction (what instruction routes and messages need).
 */
async function fixture(submitted = false): Promise<Record<string, string>> {
  const id = await createRequest(app.db, ids.owner, CLAMART);
  const owner = clients.owner;
  await owner.get(`/demandes/${id}/cadre-juridique`);
  await postMultipart(owner, `/demandes/${id}/pieces-jointes`, [
    { name: '_csrf', value: owner.csrfToken() },
    { name: 'pieces', filename: 'deliberation.pdf', content: pdf() },
  ]);
  const piece = (await app.db('attachments').where({ request_id: id }).first('id')) as { id: string };
  if (submitted)
    await app.db('access_requests').where({ id }).update({ status: 'submitted', submitted_at: app.db.fn.now() });
  const outsider = await createAccount(app.db, { email: `nouvelle${id}@autre-domaine.fr` });
  const moderation = await createModerationCase(app.db, outsider.id, CLAMART);
  const modele = await createDecisionTemplate(app.db);
  // The request's authorization (its attachment frozen with it) and a token of it.
  const authorization = await createAuthorization(app.db, id, ids.owner);
  await createApiToken(app.db, authorization, ids.owner, `Jeton ${id}`);
  const token = (await app.db('api_tokens').where({ authorization_id: authorization }).first('id')) as { id: string };
  const incident = await saveIncident(
    app.db,
    { title: `Incident ${id}`, message: 'Panne.', startsAt: new Date(), endsAt: null, endpointIds: [] },
    ids.admin,
  );
  const webhook = await createWebhook(app.db, ids.admin);
  const delivery = (await app.db('webhook_deliveries').where({ webhook_id: webhook }).first('id')) as { id: string };
  const numero = String(90_000 + Number(id));
  await app.db('legacy_dossiers').insert({
    number: numero,
    ds_state: 'accepte',
    status: 'validated',
    siret: CLAMART,
    email: 'ancien@clamart.fr',
    original: JSON.stringify({ number: Number(numero) }),
    source: 'api',
    content_hash: numero,
    search_text: numero,
  });
  await owner.get('/compte');
  return {
    id,
    numero,
    incident,
    webhook,
    delivery: delivery.id,
    pieceId: String(piece.id),
    etape: 'demarche',
    moderation,
    user: outsider.id,
    modele,
    authorization,
    token: token.id,
  };
}

const toSecondFactor = (page: Page) => page.status === 303 && page.location === SECOND_FACTOR_PATH;

/** Every concrete "METHOD path" of the router, identifiers filled in with the fixture's. */
function concreteRoutes(f: Record<string, string>): string[] {
  return routesOf((app.app as unknown as { router: { stack: Layer[] } }).router.stack)
    .filter((r) => !r.startsWith('GET /assets'))
    .map((r) => `${r.split(' ')[0]} ${pathFor(r, { ...f, code: '404', siret: '13002526500013', file: 'x' })}`);
}

function pathFor(route: string, f: Record<string, string>): string {
  const admin = route.includes('/admin/');
  return route
    .replace(/^\S+ /, '')
    .replace(
      ':id',
      route.includes('/tableau-de-bord/jetons/')
        ? f.token!
        : route.includes('/tableau-de-bord/habilitations/')
          ? f.authorization!
          : admin
            ? route.includes('utilisateurs')
              ? f.user!
              : route.includes('modeles')
                ? f.modele!
                : route.includes('incidents')
                  ? f.incident!
                  : route.includes('webhooks')
                    ? f.webhook!
                    : f.moderation!
            : f.id!,
    )
    .replace(':numero', f.numero ?? '')
    .replace(':pieceId', f.pieceId!)
    .replace(':deliveryId', f.delivery!)
    .replace(':etape', f.etape!)
    .replace(':code', f.code ?? '404')
    .replace(':siret', f.siret ?? '')
    .replace(':file', f.file ?? '');
}

async function call(actor: Actor, route: string, f: Record<string, string>): Promise<Page> {
  const client = clients[actor];
  const path = pathFor(route, f);
  if (route.startsWith('GET ')) return client.get(path);
  const csrf = client.last?.$('input[name="_csrf"]').attr('value') ?? '';
  if (route === 'POST /demandes/:id/pieces-jointes')
    return postMultipart(client, path, [
      { name: '_csrf', value: csrf },
      { name: 'pieces', filename: 'texte.pdf', content: pdf() },
    ]);
  return client.post(path, { _csrf: csrf, action: 'enregistrer' });
}

const toSignIn = (page: Page) => [302, 303].includes(page.status) && /^\/connexion/.test(page.location ?? '');

describe('route × actor matrix', () => {
  it('every route with an identifier is in the expected matrix', () => {
    const routes = routesOf((app.app as unknown as { router: { stack: Layer[] } }).router.stack).filter((r) =>
      r.includes(':'),
    );
    const unknown = routes.filter((r) => !(r in EXPECTED) && !PUBLIC.has(r));
    assert.deepEqual(unknown, [], 'ajoutez ces routes à la matrice attendue');
    assert.deepEqual(
      Object.keys(EXPECTED).filter((r) => !routes.includes(r)),
      [],
      'routes de la matrice absentes de l’application',
    );
  });

  it('a staff session with the password only is not signed in: wherever a visitor is sent to sign in, it is sent to the code page', async () => {
    const f = await fixture();
    const checked: string[] = [];
    // Signing out is for everyone (and would end the session under test); the code pages (the authenticator's code,
    // a recovery code) are where it belongs.
    for (const route of concreteRoutes(f).filter(
      (r) => r !== 'POST /deconnexion' && !r.includes(` ${SECOND_FACTOR_PATH}`),
    )) {
      const [method, path] = route.split(' ') as [string, string];
      const send = async (actor: 'anonymous' | 'passwordOnly') => {
        const client = clients[actor];
        if (method === 'GET') return client.get(path);
        await client.get(actor === 'anonymous' ? '/connexion' : SECOND_FACTOR_PATH); // a fresh CSRF token of its session
        return client.post(path, { _csrf: client.csrfToken(), action: 'enregistrer' });
      };
      const visitor = await send('anonymous');
      if (!toSignIn(visitor)) continue;
      checked.push(route);
      const page = await send('passwordOnly');
      assert.ok(toSecondFactor(page), `${route} : ${page.status} ${page.location ?? ''} au lieu de la page du code`);
    }
    for (const route of [
      'GET /compte',
      'GET /compte/adresse-electronique',
      'POST /compte/adresse-electronique',
      'GET /demandes',
      'GET /admin/utilisateurs',
    ]) {
      assert.ok(
        checked.some((c) => c.startsWith(route.split(' ')[0]!) && c.endsWith(route.split(' ')[1]!)),
        `${route} vérifiée`,
      );
    }
    assert.ok(checked.length >= 30, `${checked.length} routes vérifiées`);
    assert.equal(
      await app
        .db('email_tokens')
        .where({ purpose: 'email_change' })
        .count('* as n')
        .first()
        .then((r) => Number((r as { n: string }).n)),
      0,
      'aucun changement d’adresse demandé',
    );
  });

  for (const route of Object.keys(EXPECTED)) {
    it(route, async () => {
      const denied = ACTORS.filter((a) => !EXPECTED[route]!.includes(a));
      const submitted = route.includes('/instruction/') || route.endsWith('/messages');
      const shared = await fixture(submitted);
      const state = async () => ({
        request: await app.db('access_requests').where({ id: shared.id }).first('status', 'version', 'answers'),
        attachments: (await app.db('attachments').where({ request_id: shared.id }).select('id')).length,
        moderation: await app.db('moderation_cases').where({ id: shared.moderation }).first('status'),
        roles: (await app.db('users').where({ id: shared.user }).first('roles')).roles,
        template: await app.db('decision_templates').where({ id: shared.modele }).first('kind', 'title', 'body'),
        incident: await app.db('incidents').where({ id: shared.incident }).first('title', 'ends_at'),
        legacy: await app.db('legacy_dossiers').where({ number: shared.numero }).first('authorization_id'),
        tokens: await app
          .db('api_tokens')
          .where({ authorization_id: shared.authorization })
          .select('id', 'revoked_at', 'replaced_by', 'expires_at'),
      });
      const before_ = await state();
      for (const actor of denied) {
        const page = await call(actor, route, shared);
        if (actor === 'anonymous')
          assert.ok(toSignIn(page) || page.status === 403, `${actor}: ${page.status} ${page.location ?? ''}`);
        else if (actor === 'passwordOnly')
          assert.ok(
            toSecondFactor(page),
            `${actor}: ${page.status} ${page.location ?? ''} (la page du code, pas connecté)`,
          );
        else assert.equal(page.status, 404, `${actor} doit recevoir 404`);
      }
      assert.deepEqual(await state(), before_, 'un refus ne change rien');
      for (const actor of EXPECTED[route]!) {
        const page = await call(actor, route, await fixture(submitted));
        assert.ok(
          page.status !== 404 && page.status < 500 && !toSignIn(page),
          `${actor}: ${page.status} ${page.location ?? ''}`,
        );
      }
    });
  }
});
