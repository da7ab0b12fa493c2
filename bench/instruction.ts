/**
 * `npm run bench:instruction`: the instructors' list at scale. Fills an embedded PostgreSQL with `BENCH_REQUESTS`
 * access requests (1,000,000 by default) of 5,000 organisations and 20,000 applicants, in a realistic mix of states
 * over six years, 40 % of the reviewed ones assigned to one of 10 instructors; then times each list query as the
 * page runs it (the page of 25 rows and the counts per status), 30 times each after 3 unrecorded runs: p50/p95 in
 * milliseconds, measured from the client over one connection. `EXPLAIN (ANALYZE)` of each page query is printed, so
 * that the figures come with the plans that make them. Then the same list states through HTTP, as an instructor signed
 * in with the second factor reads them (the whole page: session, list, counts, unread counters, rendering), and the
 * CSV export of the whole list: its time, its rows, and SignUp's resident memory before, during (sampled every 100 ms)
 * and at its peak. See bench/README.md.
 */
import { readFileSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import { parseListQuery } from '../src/domain/instruction-list.ts';
import { instructionCounts, instructionPage } from '../src/repositories/instruction.ts';
import { hashPassword } from '../src/domain/passwords.ts';
import { embeddedDatabaseUrl } from './autosave-setup.ts';
import { staffSession } from './staff-session.ts';
import { positiveInteger } from './measure.ts';
import { startSignUp } from './signup-process.ts';

const REQUESTS = positiveInteger('BENCH_REQUESTS', 1_000_000);
const RUNS = 30;

/** Five million rows' worth of plain SQL: organisations, applicants, instructors, then the requests in one INSERT. */
const FILL = [
  `INSERT INTO organisations (siret, name)
     SELECT lpad((30000000000000 + n)::text, 14, '0'), 'Commune de ' || (ARRAY['Saint-Étienne','Clamart','Lyon',
       'Évry','Besançon','Nîmes','Orléans','Quimper'])[1 + n % 8] || ' ' || n FROM generate_series(1, 5000) n`,
  `INSERT INTO users (email, given_name, family_name, activated_at)
     SELECT 'agent' || n || '@commune' || (n % 5000) || '.fr', (ARRAY['Hélène','Marc','Inès','Paul','Zoé'])[1 + n % 5],
       'Agent' || n, now() FROM generate_series(1, 20000) n`,
  `INSERT INTO users (email, given_name, family_name, activated_at, roles)
     SELECT 'instructeur' || n || '@api-entreprise.gouv.fr', 'Instructeur', 'N' || n, now(), '{instructor}'
     FROM generate_series(1, 10) n`,
  `INSERT INTO access_requests (organisation_id, created_by, updated_by, use_case_id, status, title, submitted_at,
       updated_at, created_at, assigned_to)
     SELECT o.id, u.id, u.id, uc.id, s.status, 'Démarche ' || (ARRAY['marchés publics','aides aux entreprises',
       'subventions','fraude','portail usager'])[1 + n % 5] || ' n° ' || n,
       CASE WHEN s.status IN ('draft') THEN NULL ELSE t.at END, t.at + interval '3 days', t.at,
       CASE WHEN s.status NOT IN ('draft','archived') AND n % 5 < 2 THEN (SELECT min(id) FROM users
         WHERE 'instructor' = ANY(roles)) + n % 10 END
     FROM generate_series(1, ${REQUESTS}) n
     CROSS JOIN LATERAL (SELECT CASE WHEN n % 100 < 10 THEN 'draft' WHEN n % 100 < 25 THEN 'submitted'
       WHEN n % 100 < 30 THEN 'changes_requested' WHEN n % 100 < 78 THEN 'validated' WHEN n % 100 < 93 THEN 'refused'
       WHEN n % 100 < 95 THEN 'revoked' ELSE 'archived' END AS status) s
     CROSS JOIN LATERAL (SELECT now() - (n::double precision / ${REQUESTS}) * interval '6 years' AS at) t
     JOIN organisations o ON o.siret = lpad((30000000000000 + 1 + n % 5000)::text, 14, '0')
     JOIN users u ON u.email = 'agent' || (1 + n % 20000) || '@commune' || ((1 + n % 20000) % 5000) || '.fr'
     JOIN LATERAL (SELECT id FROM use_cases ORDER BY position OFFSET n % 7 LIMIT 1) uc ON true`,
  `UPDATE access_requests r SET search_text = directory_normalise(concat_ws(' ', r.id::text, r.title, o.name, o.siret,
       u.given_name, u.family_name, u.email))
     FROM organisations o, users u WHERE o.id = r.organisation_id AND u.id = r.created_by`,
  'VACUUM ANALYZE access_requests',
  'ANALYZE organisations',
  'ANALYZE users',
];

/** The list states timed: the first page, each filter alone, a search, a following page. */
const SCENARIOS: [string, Record<string, string>][] = [
  ['première page', {}],
  ['statut « modifications demandées »', { statut: 'changes_requested' }],
  ['cas d’usage', { 'cas-usage': 'marches_publics' }],
  ['attribuées à moi', { attribution: 'moi' }],
  ['attribuées à personne', { attribution: 'personne' }],
  ['déposées en mars 2024', { du: '01/03/2024', au: '31/03/2024' }],
  ['tri par dernière modification', { tri: 'modification' }],
  ['recherche « saint etienne 42 »', { q: 'Saint-Étienne 42' }],
  ['recherche par SIRET', { q: '30000000000042' }],
  ['recherche par adresse', { q: 'agent4242@commune4242.fr' }],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i += 1) await run();
  const durations: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await run();
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  return { p50: percentile(durations, 50), p95: percentile(durations, 95) };
}

/** Resident memory of a process in MB: now (VmRSS) and its peak since it started (VmHWM). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

async function httpFigures(signUp: Awaited<ReturnType<typeof startSignUp>>, db: Knex, viewerId: string) {
  const password = 'mot de passe du banc d’essai, assez long';
  await db('users')
    .where({ id: viewerId })
    .update({ password_hash: await hashPassword(password) });
  const email = ((await db('users').where({ id: viewerId }).first('email')) as { email: string }).email;
  const base = `http://127.0.0.1:${signUp.ports.http}`;
  const cookie = await staffSession(base, email, password);
  console.log(`\nthrough HTTP, signed in as an instructor: ${RUNS} GETs of each page after 3 unrecorded\n`);
  console.log('list state                               p50 ms   p95 ms   status');
  for (const [name, query] of SCENARIOS) {
    const url = `${base}/instruction?${new URLSearchParams(query).toString()}`;
    let status = 0;
    const timing = await time(async () => {
      const response = await fetch(url, { headers: { cookie } });
      status = response.status;
      await response.arrayBuffer();
    });
    console.log(
      `${name.padEnd(40)} ${timing.p50.toFixed(1).padStart(6)}   ${timing.p95.toFixed(1).padStart(6)}   ${status}`,
    );
  }
  const before = memory(signUp.pid);
  let sampled = before.rss;
  const sampler = setInterval(() => (sampled = Math.max(sampled, memory(signUp.pid).rss)), 100);
  const started = performance.now();
  const response = await fetch(`${base}/instruction/export`, { headers: { cookie } });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const after = memory(signUp.pid);
  console.log(
    `\nexport of the whole list: HTTP ${response.status}, ${lines - 1} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s (${Math.round((lines - 1) / seconds)} rows/s)`,
  );
  console.log(
    `SignUp resident memory: ${before.rss.toFixed(0)} MB before, at most ${sampled.toFixed(0)} MB during (sampled), peak since start ${before.peak.toFixed(0)} MB before and ${after.peak.toFixed(0)} MB after`,
  );
}

const signUp = await startSignUp();
try {
  await signUp.ready;
  const connected = knexFactory({
    client: 'pg',
    connection: embeddedDatabaseUrl(signUp.ports.postgres),
    pool: { min: 1, max: 1 },
  });
  const started = performance.now();
  for (const statement of FILL) await connected.raw(statement);
  process.stderr.write(`${REQUESTS} requests written in ${Math.round((performance.now() - started) / 1000)} s\n`);
  const viewer = (await connected('users').whereRaw("'instructor' = ANY(roles)").orderBy('id').first('id')) as {
    id: string;
  };
  const useCaseIds = new Set(((await connected('use_cases').select('id')) as { id: string }[]).map((u) => u.id));
  console.log(`\n${REQUESTS} requests; each list state ${RUNS} times after 3 unrecorded runs, one connection\n`);
  console.log('list state                               page p50  page p95  counts p50  counts p95  rows');
  for (const [name, query] of SCENARIOS) {
    const { filters, problems } = parseListQuery(query, useCaseIds);
    if (problems.length) throw new Error(`${name}: ${problems.map((p) => p.message).join(', ')}`);
    let rows = 0;
    const page = await time(async () => (rows = (await instructionPage(connected, filters, viewer.id, 25)).length));
    const counts = await time(() => instructionCounts(connected, filters, viewer.id));
    console.log(
      `${name.padEnd(40)} ${page.p50.toFixed(1).padStart(8)}  ${page.p95.toFixed(1).padStart(8)}  ${counts.p50.toFixed(1).padStart(10)}  ${counts.p95.toFixed(1).padStart(10)}  ${String(rows).padStart(4)}`,
    );
    if (process.env.BENCH_PLANS) {
      let last: { sql: string; bindings: readonly unknown[] } | undefined;
      const listen = (query: { sql: string; bindings: readonly unknown[] }) => (last = query);
      connected.on('query', listen);
      await instructionPage(connected, filters, viewer.id, 25);
      connected.off('query', listen);
      // the event's SQL is PostgreSQL's own ($1, $2…): sent as it is, on a connection of the pool
      const client = connected.client as {
        acquireConnection(): Promise<unknown>;
        releaseConnection(c: unknown): Promise<void>;
      };
      const connection = (await client.acquireConnection()) as {
        query(text: string, values: readonly unknown[]): Promise<{ rows: { 'QUERY PLAN': string }[] }>;
      };
      const plan = await connection.query(`EXPLAIN (ANALYZE, BUFFERS) ${last!.sql}`, last!.bindings);
      await client.releaseConnection(connection);
      console.log(plan.rows.map((row) => `    ${row['QUERY PLAN']}`).join('\n'));
    }
  }
  await httpFigures(signUp, connected, viewer.id);
  await connected.destroy();
} finally {
  await signUp.stop();
}
