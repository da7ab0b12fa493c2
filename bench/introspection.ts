/**
 * `npm run bench:introspection`: the gateway's hot path. Starts the real SignUp on an embedded PostgreSQL, writes
 * `BENCH_TOKENS` tokens (100,000 by default) of one authorization, then loads, with autocannon and `BENCH_CONNECTIONS`
 * connections (200), each for `BENCH_DURATION` seconds (10) after 3 s of warm-up: `GET /healthz` (the baseline: no
 * database), then `POST /api/v1/introspection` with 2,000 active tokens asked before (their answers kept in memory),
 * 2,000 unknown tokens asked before, active tokens each asked once (a database read each: the other 98,000, dealt to
 * the connections) and malformed tokens (no read). Prints req/s, p50 and p99, and the share of the baseline's
 * throughput. See bench/README.md.
 */
import autocannon, { type Client, type Request, type Result } from 'autocannon';
import knexFactory from 'knex';
import { newApiToken } from '../src/domain/api-tokens.ts';
import { embeddedDatabaseUrl } from './autosave-setup.ts';
import { positiveInteger } from './measure.ts';
import { startSignUp } from './signup-process.ts';

const TOKENS = positiveInteger('BENCH_TOKENS', 100_000);
const CONNECTIONS = positiveInteger('BENCH_CONNECTIONS', 200);
const DURATION = positiveInteger('BENCH_DURATION', 10);
const WARMUP = 3;
const SAMPLE = 2_000;
/** Of each connection's tokens asked once, how many the warm-up uses. */
const WARMUP_SHARE = 80;
const BATCH = 5_000;
const GATEWAY = `Basic ${Buffer.from('passerelle:dev-only-introspection-secret-not-for-production').toString('base64')}`;

/**
 * One run of autocannon in this process (no worker thread, so that each connection can get its own sequence):
 * `sequences[i]` is the requests of connection i, cycled.
 */
function load(url: string, sequences?: Request[][], duration = DURATION): Promise<Result> {
  let next = 0;
  return Promise.resolve(
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      pipelining: 1,
      timeout: 10,
      ...(sequences
        ? {
            requests: sequences[0],
            setupClient: (client: Client) => client.setRequests(sequences[next++ % sequences.length]!),
          }
        : {}),
    }),
  );
}

/** `tokens` dealt to the connections, each its own slice. */
function dealt(tokens: string[], ask: (token: string) => Request): Request[][] {
  const size = Math.ceil(tokens.length / CONNECTIONS);
  return Array.from({ length: CONNECTIONS }, (_, i) => tokens.slice(i * size, (i + 1) * size).map(ask));
}

const asked = (token: string): Request => ({
  method: 'POST',
  path: '/api/v1/introspection',
  headers: { authorization: GATEWAY, 'content-type': 'application/x-www-form-urlencoded' },
  body: `token=${token}`,
});

const signUp = await startSignUp();
try {
  await signUp.ready;
  const db = knexFactory({ client: 'pg', connection: embeddedDatabaseUrl(signUp.ports.postgres), pool: { max: 2 } });
  const started = performance.now();
  const [organisation] = (await db('organisations')
    .insert({ siret: '21920023500014', name: 'COMMUNE DE CLAMART' })
    .onConflict('siret')
    .merge()
    .returning('id')) as { id: string }[];
  const [user] = (await db('users')
    .insert({ email: 'banc@clamart.fr', given_name: 'Banc', family_name: 'Essai', activated_at: db.fn.now() })
    .returning('id')) as { id: string }[];
  const useCase = (await db('use_cases').orderBy('position').first('id')) as { id: string };
  const [request] = (await db('access_requests')
    .insert({ organisation_id: organisation!.id, created_by: user!.id, use_case_id: useCase.id, status: 'validated' })
    .returning('id')) as { id: string }[];
  const [authorization] = (await db('authorizations')
    .insert({
      request_id: request!.id,
      organisation_id: organisation!.id,
      use_case_id: useCase.id,
      title: 'Banc d’essai',
      scopes: ['unites_legales_etablissements_insee', 'attestations_fiscales'],
      answers: '{}',
      expires_at: new Date(Date.now() + 3 * 365 * 86_400_000),
    })
    .returning('id')) as { id: string }[];
  const all: string[] = [];
  const expiresAt = new Date(Date.now() + 540 * 86_400_000);
  for (let done = 0; done < TOKENS; done += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, TOKENS - done) }, (_, i) => {
      const { token, hash, hint } = newApiToken();
      all.push(token);
      return {
        authorization_id: authorization!.id,
        name: `Jeton ${done + i}`,
        secret_hash: hash,
        hint,
        created_by: user!.id,
        expires_at: expiresAt,
      };
    });
    await db('api_tokens').insert(rows);
  }
  await db.raw('ANALYZE api_tokens');
  const written = ((await db('api_tokens').count('* as n').first()) as { n: string }).n;
  process.stderr.write(`${written} tokens written in ${Math.round(performance.now() - started)} ms\n`);
  const base = `http://127.0.0.1:${signUp.ports.http}`;

  // A check before loading: an active token is active, a stranger one is not.
  const check = async (token: string) =>
    (await (
      await fetch(`${base}/api/v1/introspection`, {
        method: 'POST',
        headers: { authorization: GATEWAY, 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${token}`,
      })
    ).json()) as { active: boolean };
  // Tokens a gateway asks about again and again (kept in memory after their first answer), and tokens each asked once.
  const recurring = all.slice(0, SAMPLE);
  const once = all.slice(SAMPLE);
  const strangers = Array.from({ length: SAMPLE }, () => newApiToken().token);
  if (!(await check(recurring[0]!)).active || (await check(strangers[0]!)).active)
    throw new Error('introspection does not answer as expected');
  for (const token of [...recurring, ...strangers]) await check(token); // their first answers

  const targets: [string, string, Request[][] | undefined][] = [
    ['GET /healthz (baseline)', `${base}/healthz`, undefined],
    ['introspection, active tokens asked before', base, dealt(recurring, asked)],
    ['introspection, unknown tokens asked before', base, dealt(strangers, asked)],
    ['introspection, active tokens asked once', base, dealt(once, asked)],
    ['introspection, malformed (no query)', base, dealt(strangers, (t) => asked(`${t}x`))],
  ];
  const results: { name: string; result: Result }[] = [];
  for (const [name, url, requests] of targets) {
    process.stderr.write(`${name}: warm-up ${WARMUP} s, measure ${DURATION} s… `);
    // Tokens asked once: the warm-up takes each connection's first ones, the measure the others, never asked before.
    const once_ = name.includes('asked once');
    await load(url, once_ ? requests!.map((r) => r.slice(0, WARMUP_SHARE)) : requests, WARMUP);
    const result = await load(url, once_ ? requests!.map((r) => r.slice(WARMUP_SHARE)) : requests);
    process.stderr.write(`${Math.round(result.requests.average)} req/s\n`);
    results.push({ name, result });
  }
  const baseline = results[0]!.result.requests.average;
  console.log(
    `\n${written} tokens in the table; ${CONNECTIONS} connections, ${DURATION} s each after ${WARMUP} s of warm-up\n`,
  );
  console.log(
    'target                                          req/s    p50 ms   p99 ms   non-2xx  errors  of baseline',
  );
  for (const { name, result } of results)
    console.log(
      `${name.padEnd(46)} ${Math.round(result.requests.average).toString().padStart(7)}  ${result.latency.p50
        .toFixed(1)
        .padStart(7)}  ${result.latency.p99.toFixed(1).padStart(7)}  ${String(result.non2xx).padStart(8)}  ${String(
        result.errors + result.timeouts,
      ).padStart(6)}  ${((result.requests.average / baseline) * 100).toFixed(0).padStart(9)} %`,
    );
  await db.destroy();
} finally {
  await signUp.stop();
}
