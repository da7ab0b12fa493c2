/**
 * `npm run bench:enumeration`: does an answer take longer for an address that has an account? Medians over
 * interleaved pairs (a, b, b, a…), after a warm-up, against the real server on its embedded PostgreSQL: sign-up
 * (known address / new one), password reset request (known / unknown), sign-in (wrong password / unknown address).
 * Timing lives here and not in `npm test`: on a shared machine a test that asserts durations fails for no reason.
 * The test suite checks instead that both paths do the same work (test/integration/enumeration.test.ts).
 */
import * as cheerio from 'cheerio';
import { createDb } from '../src/db/knex.ts';
import { hashPassword } from '../src/domain/passwords.ts';
import { embeddedDatabaseUrl } from './autosave-setup.ts';
import { positiveInteger } from './measure.ts';
import { startSignUp } from './signup-process.ts';

// Sign-in allows 60 attempts per minute from one address: 2 × (PAIRS + 2) must stay below it.
const PAIRS = Math.min(positiveInteger('BENCH_PAIRS', 26), 26);
const PASSWORD = 'mot de passe du banc d’essai, assez long';

/** A form page's session cookie and CSRF token, then the form posted with `fields`: the POST's duration in ms. */
async function postForm(base: string, path: string, fields: Record<string, string>): Promise<number> {
  const page = await fetch(base + path, { redirect: 'manual' });
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf =
    cheerio
      .load(await page.text())('main form input[name="_csrf"]')
      .attr('value') ?? '';
  const started = process.hrtime.bigint();
  const answer = await fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ _csrf: csrf, ...fields }),
  });
  await answer.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (answer.status === 429)
    throw new Error(`${path}: 429, a rate limit was reached: the figures would not compare like with like`);
  return ms;
}

async function interleaved(
  a: (i: number) => Promise<number>,
  b: (i: number) => Promise<number>,
): Promise<{ a: number[]; b: number[] }> {
  const result = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < PAIRS + 2; i += 1) {
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      ta = await a(i);
      tb = await b(i);
    } else {
      tb = await b(i);
      ta = await a(i);
    }
    if (i >= 2) {
      // two warm-up pairs
      result.a.push(ta);
      result.b.push(tb);
    }
  }
  return result;
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

const signUp = await startSignUp();
try {
  await signUp.ready;
  const db = createDb(embeddedDatabaseUrl(signUp.ports.postgres), { timeoutMs: 10_000 });
  const passwordHash = await hashPassword(PASSWORD);
  for (let i = 0; i < PAIRS + 2; i += 1) {
    await db('users').insert({
      email: `connu${i}@clamart.fr`,
      given_name: 'Agent',
      family_name: `Connu ${i}`,
      password_hash: passwordHash,
      roles: [],
      activated_at: db.fn.now(),
    });
  }
  await db.destroy();
  const person = {
    givenName: 'Marie',
    familyName: 'Durand',
    password: 'quatre chevaux mangent du foin',
    siret: '21920023500014',
    confirmation: 'oui',
    action: 'creer',
  };
  const rows: [string, { a: number[]; b: number[] }, string, string][] = [
    [
      'sign-up',
      await interleaved(
        (i) => postForm(signUp.url, '/inscription', { ...person, email: `connu${i}@clamart.fr` }),
        (i) => postForm(signUp.url, '/inscription', { ...person, email: `nouveau${i}@clamart.fr` }),
      ),
      'known address',
      'new address',
    ],
    [
      'password reset request',
      await interleaved(
        (i) => postForm(signUp.url, '/mot-de-passe-oublie', { email: `connu${i}@clamart.fr` }),
        (i) => postForm(signUp.url, '/mot-de-passe-oublie', { email: `inconnu${i}@clamart.fr` }),
      ),
      'known address',
      'unknown address',
    ],
    // one wrong password per known account: far below its limit of 10 failures, so no answer is a quick 429
    [
      'sign-in',
      await interleaved(
        (i) =>
          postForm(signUp.url, '/connexion', { email: `connu${i}@clamart.fr`, password: 'un mauvais mot de passe' }),
        (i) =>
          postForm(signUp.url, '/connexion', { email: `inconnu${i}@clamart.fr`, password: 'un mauvais mot de passe' }),
      ),
      'wrong password',
      'unknown address',
    ],
  ];
  process.stdout.write(`| Form | ${'Medians over'} ${PAIRS} interleaved pairs | Difference |\n| --- | --- | --- |\n`);
  for (const [form, times, a, b] of rows) {
    const [ma, mb] = [median(times.a), median(times.b)];
    process.stdout.write(
      `| ${form} | ${a} ${ma.toFixed(1)} ms, ${b} ${mb.toFixed(1)} ms | ${((Math.abs(ma - mb) / Math.max(ma, mb)) * 100).toFixed(0)} % |\n`,
    );
  }
} finally {
  await signUp.stop();
}
