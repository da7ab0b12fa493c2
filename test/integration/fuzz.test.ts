/**
 * Malformed bodies on every POST route of the router, each sent as the actor the route is for (signed in, with a
 * valid CSRF token in the body or the header, so that it reaches the handler): unknown charsets, wrong content
 * types, JSON, text, repeated fields, arrays, prototype keys, NUL bytes, broken percent-encoding, invalid UTF-8,
 * huge values. A seeded generator: the same bodies on every run, and a failure names the body that caused it. Any
 * answer of 500 or more fails the test; so does the loss of what was stored (a request's answers or attachment).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createModerationCase, createRequest, FIXTURE_PASSWORD } from '../helpers/fixtures.ts';
import { pdf, postMultipart } from '../helpers/multipart.ts';
import { PageClient } from '../helpers/page-client.ts';
import { SECOND_FACTOR_PATH } from '../helpers/second-factor.ts';
import { signedInClient } from '../helpers/sign-in.ts';
import { newSecret } from '../../src/domain/tokens.ts';
import { storeToken } from '../../src/repositories/email-tokens.ts';

const BODIES_PER_ROUTE = 80;
const SEED = 20261201;

/** mulberry32: a small seeded generator, so that a failing body can be found again. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

type Body = { kind: string; contentType?: string; payload: string | Buffer; csrfInHeader: boolean };

const FIELDS = [
  'email',
  'password',
  'current',
  'givenName',
  'familyName',
  'siret',
  'title',
  'description',
  'goLiveDate',
  'volume',
  'scopes',
  'nature',
  'reference',
  'url',
  'recipients',
  'retentionMonths',
  'justification',
  'code',
  'decision',
  'note',
  'roles',
  'action',
  'version',
  'base',
  'retour',
  'organisation',
  'useCase',
  'confirmation',
  'idle',
  'phone',
  'moi',
  'certification',
  'dpoEmail',
  'accept',
  'conflit',
];
const VALUES = [
  '',
  'x',
  'a'.repeat(5000),
  '\u0000',
  'abc\u0000def',
  '%00',
  '\r\n',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '🦊'.repeat(50),
  '9'.repeat(400),
  '-1',
  '1e308',
  'NaN',
  'null',
  'true',
  '{"a":1}',
  '[]',
  'été',
  '\uFEFF',
  '\uD800',
  'ｆｕｌｌ',
  "' OR 1=1 --",
];

/** Percent-encoded; a lone surrogate (which encodeURIComponent refuses) becomes the bytes of its invalid UTF-8 form. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

function bodyFor(rng: ReturnType<typeof generator>, csrf: string): Body {
  const csrfInHeader = rng.next() < 0.3;
  const token = csrfInHeader ? '' : `_csrf=${encodeURIComponent(csrf)}&`;
  const field = () => rng.pick(FIELDS);
  const value = () => encode(rng.pick(VALUES));
  const pairs = (n: number) => Array.from({ length: n }, () => `${field()}=${value()}`).join('&');
  const form = 'application/x-www-form-urlencoded';
  const kinds: (() => Body)[] = [
    () => ({
      kind: 'charset inconnu',
      contentType: `${form}; charset=${rng.pick(['utf-7', 'klingon', 'utf-16', 'latin1', 'iso-8859-1', 'ebcdic', ''])}`,
      payload: token + pairs(3),
      csrfInHeader,
    }),
    () => ({
      kind: 'JSON',
      contentType: 'application/json',
      payload: rng.pick([
        '{"a":1}',
        '[1,2]',
        '"texte"',
        '{',
        'null',
        `{"_csrf":"${csrf}","password":["a","b"]}`,
        '{"__proto__":{"isAdmin":true}}',
      ]),
      csrfInHeader: true,
    }),
    () => ({
      kind: 'texte',
      contentType: rng.pick(['text/plain', 'application/xml', 'text/html', 'application/octet-stream']),
      payload: rng.pick(['bonjour', '<a/>', '\u0000\u0001', 'a=b']),
      csrfInHeader: true,
    }),
    () => ({
      kind: 'corps vide',
      contentType: rng.pick([undefined, form, 'application/json']),
      payload: '',
      csrfInHeader: true,
    }),
    () => ({
      kind: 'champs répétés',
      contentType: form,
      payload: `${token}${Array.from({ length: 4 }, () => {
        const f = field();
        return `${f}=${value()}&${f}=${value()}`;
      }).join('&')}`,
      csrfInHeader,
    }),
    () => ({
      kind: 'tableaux et objets',
      contentType: form,
      payload: `${token}${field()}[]=${value()}&${field()}[a][b]=${value()}&${field()}[]=`,
      csrfInHeader,
    }),
    () => ({
      kind: 'clés de prototype',
      contentType: form,
      payload: `${token}__proto__=${value()}&constructor=${value()}&prototype=x&toString=y&hasOwnProperty=z&${pairs(2)}`,
      csrfInHeader,
    }),
    () => ({
      kind: 'octets nuls',
      contentType: form,
      payload: `${token}${field()}=a%00b&${field()}=%00&%00=${value()}`,
      csrfInHeader,
    }),
    () => ({
      kind: 'encodage cassé',
      contentType: form,
      payload: `${token}${field()}=%ZZ&${field()}=%&${field()}=%C3%28&${field()}=%E2%82&${field()}=%FF%FE`,
      csrfInHeader,
    }),
    () => ({
      kind: 'UTF-8 invalide (octets)',
      contentType: form,
      payload: Buffer.concat([
        Buffer.from(`${token}${field()}=`),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80]),
        Buffer.from(`&${pairs(1)}`),
      ]),
      csrfInHeader,
    }),
    () => ({
      kind: 'clés sans valeur',
      contentType: form,
      payload: `${token}${field()}&=${value()}&&=&${field()}=`,
      csrfInHeader,
    }),
    () => ({
      kind: 'valeurs au hasard',
      contentType: form,
      payload: token + pairs(1 + Math.floor(rng.next() * 8)),
      csrfInHeader,
    }),
    () => ({
      kind: 'multipart sans frontière',
      contentType: 'multipart/form-data',
      payload: `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--x--`,
      csrfInHeader: true,
    }),
    () => ({
      kind: 'multipart tronqué',
      contentType: 'multipart/form-data; boundary=x',
      payload: `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--x\r\nContent-Disposition: form-data; name="pieces"; filename="a.pdf"\r\n\r\n%PDF-`,
      csrfInHeader: true,
    }),
  ];
  return rng.pick(kinds)();
}

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
function postRoutes(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) return layer.route.methods.post ? ([] as string[]).concat(layer.route.path) : [];
    return layer.handle?.stack ? postRoutes(layer.handle.stack) : [];
  });
}

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

describe('malformed bodies on every POST route', () => {
  it(`never answer 500 (${BODIES_PER_ROUTE} bodies per route, seed ${SEED})`, { timeout: 600_000 }, async (t) => {
    const owner = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
    await createAccount(app.db, { email: 'admin@signup.localhost', roles: ['admin'] });
    await createAccount(app.db, { email: 'instruction@signup.localhost', roles: ['instructor'] });
    const outsider = await createAccount(app.db, { email: 'prestataire@autre.fr' });
    const moderation = await createModerationCase(app.db, outsider.id, CLAMART);
    const applicant = await signedInClient(app.app, owner.email);
    const admin = await signedInClient(app.app, 'admin@signup.localhost');
    const pending = new PageClient(app.app);
    await pending.get('/connexion');
    assert.equal(
      (await pending.submit({ email: 'instruction@signup.localhost', password: FIXTURE_PASSWORD })).location,
      SECOND_FACTOR_PATH,
    );
    const anonymous = new PageClient(app.app);
    const id = await createRequest(app.db, owner.id, CLAMART);
    await applicant.get(`/demandes/${id}/cadre-juridique`);
    await postMultipart(applicant, `/demandes/${id}/pieces-jointes`, [
      { name: '_csrf', value: applicant.csrfToken() },
      { name: 'pieces', filename: 'deliberation.pdf', content: pdf() },
    ]);
    const piece = String(((await app.db('attachments').where({ request_id: id }).first('id')) as { id: string }).id);
    await applicant.post(`/demandes/${id}/demarche`, {
      _csrf: applicant.csrfToken(),
      title: 'Titre enregistré',
      action: 'enregistrer',
    });

    const routes = [...new Set(postRoutes((app.app as unknown as { router: { stack: Layer[] } }).router.stack))];
    const clientFor = (path: string): PageClient => {
      if (path === SECOND_FACTOR_PATH) return pending;
      if (path.startsWith('/admin')) return admin;
      if (/^\/(demandes|compte|organisations|session)/.test(path) && !path.startsWith('/compte/double'))
        return applicant;
      return anonymous;
    };
    const concrete = (route: string) =>
      route
        .replace(':pieceId', piece)
        .replace(/\/admin\/moderation\/:id/, `/admin/moderation/${moderation}`)
        .replace(/\/admin\/utilisateurs\/:id/, `/admin/utilisateurs/${outsider.id}`)
        .replace(':id', id)
        .replace(':etape', 'demarche');
    // Routes that end what the others need come last: deleting the attachment, then archiving, copying and
    // submitting the request (before them, every step and upload meets an editable draft).
    const last = ['/supprimer', '/soumettre', '/copier', '/archiver'];
    const rank = (r: string) => last.findIndex((suffix) => r.endsWith(suffix));
    const ordered = [...routes].sort((a, b) => rank(a) - rank(b));

    const rng = generator(SEED);
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let sent = 0;
    // A fresh, valid token per body for the pages of emailed links (their handlers then read the body for real).
    const inactive = await createAccount(app.db, { email: 'pas-encore-active@clamart.fr' });
    await app.db('users').where({ id: inactive.id }).update({ activated_at: null });
    const token = async (
      userId: string,
      purpose: 'activation' | 'reset' | 'email_change',
      newEmail: string | null = null,
    ) => {
      const { token: secret, hash } = newSecret();
      await storeToken(app.db, userId, purpose, hash, newEmail);
      return secret;
    };
    const LINKS: Record<string, () => Promise<string>> = {
      '/activation': () => token(inactive.id, 'activation'),
      '/mot-de-passe/nouveau': () => token(outsider.id, 'reset'),
      '/adresse-electronique/confirmer': () =>
        token(outsider.id, 'email_change', `nouvelle-${Math.floor(rng.next() * 1e9)}@autre.fr`),
    };
    for (const route of ordered) {
      const path = concrete(route);
      const client = clientFor(path);
      // a page of the same session for its token
      await client.get(
        client === pending
          ? SECOND_FACTOR_PATH
          : client === anonymous
            ? '/connexion'
            : client === admin
              ? '/admin/moderation'
              : '/compte',
      );
      const csrf = client.csrfToken();
      for (let n = 0; n < BODIES_PER_ROUTE; n += 1) {
        // The pages of emailed links read a valid link from the session: each body meets one, as a person's would.
        const link = LINKS[path];
        if (link) await client.get(`${path}?jeton=${await link()}`);
        const version = (await app.db('access_requests').where({ id }).first('version')).version as number;
        const body = bodyFor(rng, csrf);
        let call = client.agent.post(path);
        if (body.contentType) call = call.set('Content-Type', body.contentType);
        if (body.csrfInHeader) call = call.set('X-CSRF-Token', csrf);
        const answer = await call.send(body.payload as string);
        sent += 1;
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        const what = `${route} ← ${body.kind} (${body.contentType ?? 'sans Content-Type'}) ${JSON.stringify(String(body.payload).slice(0, 120))}`;
        if (answer.status >= 500) failures.push(`${what} : ${answer.status}`);
        else if (
          answer.status >= 400 &&
          !(answer.headers['content-type']?.startsWith('text/html') && /<html lang="fr"/.test(answer.text))
        )
          failures.push(`${what} : ${answer.status} sans page française`);
        // A refusal changes nothing, but on the upload route, which saves what was typed in the step even when the
        // file is refused (nothing typed is lost: ADR 0010).
        const keepsTyped = route.endsWith('/pieces-jointes');
        if (
          answer.status >= 400 &&
          !keepsTyped &&
          (await app.db('access_requests').where({ id }).first('version')).version !== version
        )
          failures.push(`${what} : refusé (${answer.status}) mais la demande a changé`);
      }
    }
    t.diagnostic(
      `${ordered.length} routes POST, ${sent} corps malformés envoyés ; réponses : ${JSON.stringify(statuses)} ; ${failures.length} en échec (≥ 500, sans page française, ou refus qui change la demande)`,
    );
    const stored = await app.db('access_requests').where({ id }).first('answers');
    assert.ok(stored, 'la demande existe toujours');
    assert.ok(sent >= 2000, `${sent} corps envoyés`);
    if (failures.length)
      assert.fail(
        `${failures.length} réponse(s) en échec :\n  - ${[...new Set(failures)].slice(0, 60).join('\n  - ')}`,
      );
  });

  it('query strings with NUL bytes, control characters, broken encoding or arrays never answer 500', async () => {
    const anonymous = new PageClient(app.app);
    const queries = [
      'nom=abc%00',
      'nom=%00',
      'nom=a%0Ab',
      'nom=%ZZ',
      'nom=%C3%28',
      'nom[]=a&nom[]=b',
      'nom=a&nom=b',
      'retour=%00',
      'siret=1%00',
    ];
    for (const path of [
      '/recherche-organisation',
      '/inscription',
      '/organisations/rejoindre',
      '/connexion',
      '/demandes/nouvelle',
      '/compte/confirmer-mot-de-passe',
    ]) {
      for (const query of queries) {
        const page = await anonymous.get(`${path}?${query}`);
        assert.ok(page.status < 500, `${path}?${query} : ${page.status}`);
        if (page.status >= 400)
          assert.match(page.html, /<html lang="fr"/, `${path}?${query} : ${page.status} sans page française`);
      }
    }
    for (const path of [
      '/eligibilite/123%00',
      '/cas-usage/%00',
      '/demandes/1%00/demarche',
      '/dev/courriels/%00',
      '/eligibilite/%ZZ',
      '/dev/courriels/pas-un-uuid',
      '/demandes/abc/demarche',
      '/demandes/99999999999999999999/demarche',
      '/admin/moderation/abc',
      '/demandes/1/pieces-jointes/abc',
    ]) {
      const page = await anonymous.get(path);
      assert.ok(page.status < 500, path);
      if (page.status >= 400)
        assert.match(page.html, /<html lang="fr"/, `${path} : ${page.status} sans page française`);
    }
  });

  it('keeps an attachment when its deletion arrives with a body that is not a form', async () => {
    const owner = await createAccount(app.db, { email: 'autre-agent@clamart.fr', siret: CLAMART });
    const client = await signedInClient(app.app, owner.email);
    const id = await createRequest(app.db, owner.id, CLAMART);
    await client.get(`/demandes/${id}/cadre-juridique`);
    await postMultipart(client, `/demandes/${id}/pieces-jointes`, [
      { name: '_csrf', value: client.csrfToken() },
      { name: 'pieces', filename: 'texte.pdf', content: pdf() },
    ]);
    const piece = (await app.db('attachments').where({ request_id: id }).first('id')) as { id: string };
    for (const [type, payload] of [
      ['application/json', '{"a":1}'],
      ['text/plain', 'bonjour'],
      ['application/x-www-form-urlencoded; charset=utf-7', 'a=b'],
    ]) {
      const answer = await client.agent
        .post(`/demandes/${id}/pieces-jointes/${piece.id}/supprimer`)
        .set('X-CSRF-Token', client.csrfToken())
        .set('Content-Type', type!)
        .send(payload);
      assert.ok(answer.status < 500, `${type} : ${answer.status}`);
      assert.equal(
        (await app.db('attachments').where({ id: piece.id })).length,
        1,
        `${type} : la pièce jointe est toujours là`,
      );
    }
  });
});
