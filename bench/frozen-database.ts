/**
 * `npm run bench:frozen-database`: how long the real server takes to answer while its PostgreSQL is frozen (every
 * process stopped with SIGSTOP: open connections, no answer), for each kind of request, and how long it takes to
 * serve pages again after the thaw (SIGCONT). Baseline: the same requests with the database running, in the same
 * run. DB_TIMEOUT_MS is the production default (3 s) unless set. Each round fires every kind at once, as a busy
 * service would, then waits for all of them.
 */
import { freezePostgres } from '../test/helpers/frozen-postgres.ts';
import { embeddedDatabaseUrl, prepareApplicants } from './autosave-setup.ts';
import { positiveInteger } from './measure.ts';
import { startSignUp } from './signup-process.ts';

const ROUNDS = positiveInteger('BENCH_ROUNDS', 5);
/** Far beyond any limit of the service: an answer later than this counts as none. */
const NO_ANSWER_MS = 120_000;

type Sample = { status: number; ms: number };

async function timed(send: () => Promise<Response>): Promise<Sample> {
  const started = process.hrtime.bigint();
  try {
    const response = await send();
    await response.arrayBuffer();
    return { status: response.status, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  } catch {
    return { status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }; // no answer (aborted)
  }
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { min: sorted[0]!, median: at(0.5), max: sorted[sorted.length - 1]! };
};
const ms = (value: number) => `${Math.round(value).toLocaleString('fr-FR')} ms`;

const signUp = await startSignUp();
try {
  await signUp.ready;
  const base = signUp.url;
  const [applicant] = await prepareApplicants(embeddedDatabaseUrl(signUp.ports.postgres), base, 1);
  const { cookie, stepPath, hidden } = applicant!;
  const signal = () => AbortSignal.timeout(NO_ANSWER_MS);
  const form = (action: string) =>
    new URLSearchParams({ ...hidden, title: 'Saisie du banc d’essai', action }).toString();
  const post =
    (action: string, extra: Record<string, string> = {}) =>
    () =>
      fetch(base + stepPath, {
        method: 'POST',
        redirect: 'manual',
        signal: signal(),
        headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded', ...extra },
        body: form(action),
      });
  const kinds: Record<string, () => Promise<Response>> = {
    'page publique (/cas-usage)': () => fetch(`${base}/cas-usage`, { signal: signal() }),
    'page connectée (/demandes)': () => fetch(`${base}/demandes`, { headers: { cookie }, signal: signal() }),
    'enregistrement automatique (htmx)': post('autosave', { 'hx-request': 'true' }),
    'formulaire envoyé (Enregistrer le brouillon)': post('enregistrer'),
    '/readyz': () => fetch(`${base}/readyz`, { signal: signal() }),
  };
  const names = Object.keys(kinds);
  const baseline = new Map(names.map((name) => [name, [] as number[]]));
  const frozen = new Map(names.map((name) => [name, [] as Sample[]]));
  const recovery: number[] = [];
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    // the first round warms up
    for (const name of names) {
      const sample = await timed(kinds[name]!);
      if (sample.status >= 400) throw new Error(`${name}: HTTP ${sample.status} with the database running`);
      if (round > 0) baseline.get(name)!.push(sample.ms);
    }
    const thaw = freezePostgres(signUp.pgDir);
    let samples: Sample[];
    try {
      samples = await Promise.all(names.map((name) => timed(kinds[name]!)));
    } finally {
      thaw();
    }
    const thawedAt = process.hrtime.bigint();
    while ((await timed(kinds['page connectée (/demandes)']!)).status !== 200)
      await new Promise((resolve) => setTimeout(resolve, 20));
    if (round === 0) continue;
    recovery.push(Number(process.hrtime.bigint() - thawedAt) / 1e6);
    names.forEach((name, i) => frozen.get(name)!.push(samples[i]!));
  }
  console.log(
    `\nBase gelée (SIGSTOP), ${ROUNDS} tours, DB_TIMEOUT_MS ${process.env.DB_TIMEOUT_MS ?? '3000 (défaut)'}\n`,
  );
  console.log('| Requête | base en marche (médiane) | base gelée : min / médiane / max | statuts pendant le gel |');
  console.log('|---|---|---|---|');
  for (const name of names) {
    const during = frozen.get(name)!;
    const { min, median, max } = stats(during.map((s) => s.ms));
    const statuses = [...new Set(during.map((s) => (s.status === 0 ? 'sans réponse' : String(s.status))))].join(', ');
    console.log(
      `| ${name} | ${ms(stats(baseline.get(name)!).median)} | ${ms(min)} / ${ms(median)} / ${ms(max)} | ${statuses} |`,
    );
  }
  const back = stats(recovery);
  console.log(
    `\nRetour à la normale après le dégel (page connectée en 200) : ${ms(back.min)} / ${ms(back.median)} / ${ms(back.max)} (min / médiane / max)`,
  );
} finally {
  await signUp.stop();
}
