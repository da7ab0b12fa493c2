/**
 * `npm run bench:cpu-split`: how much CPU one signed-in request costs SignUp and how much it costs PostgreSQL, read
 * from /proc around an autocannon run (20 applicants, one connection each, 10 s), where a profile only shows shares.
 * `BENCH_PATH=/` measures the home page of a signed-in user instead of their step page; `BENCH_ANONYMOUS=1` sends no
 * cookie. The figures move by ±20 % between runs on a shared machine: compare runs made one after the other.
 */
import { readFileSync, readdirSync } from 'node:fs';
import autocannon from 'autocannon';
import { embeddedDatabaseUrl, prepareApplicants } from './autosave-setup.ts';
import { startSignUp } from './signup-process.ts';

const CONNECTIONS = 20;

/** User and system CPU time of a process, in clock ticks (100 per second on Linux). */
function ticks(pid: number | string): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]) };
}

function postgresTicks(): number {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .reduce((sum, pid) => {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')) return sum;
        const { user, system } = ticks(pid);
        return sum + user + system;
      } catch {
        return sum; // a backend that ended meanwhile
      }
    }, 0);
}

const signUp = await startSignUp();
try {
  await signUp.ready;
  const applicants = await prepareApplicants(embeddedDatabaseUrl(signUp.ports.postgres), signUp.url, CONNECTIONS);
  let next = 0;
  const before = { node: ticks(signUp.pid), postgres: postgresTicks() };
  const result = await autocannon({
    url: signUp.url,
    connections: CONNECTIONS,
    duration: 10,
    requests: [
      {
        setupRequest: (request, context) => {
          context.applicant ??= applicants[next++ % applicants.length];
          const applicant = context.applicant as (typeof applicants)[number];
          const headers: Record<string, string> = { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' };
          if (!process.env.BENCH_ANONYMOUS) headers.cookie = applicant.cookie;
          return { ...request, path: process.env.BENCH_PATH ?? applicant.stepPath, headers };
        },
      },
    ],
  });
  const after = { node: ticks(signUp.pid), postgres: postgresTicks() };
  const perRequest = (clockTicks: number) => `${Math.round((clockTicks * 10_000) / result.requests.total)} µs`;
  console.log(`${result.requests.total} requests (${result.requests.average} req/s, ${result.non2xx} non-2xx)`);
  console.log(
    `CPU per request: SignUp ${perRequest(after.node.user + after.node.system - before.node.user - before.node.system)}` +
      ` (system ${perRequest(after.node.system - before.node.system)}), PostgreSQL ${perRequest(after.postgres - before.postgres)}`,
  );
} finally {
  await signUp.stop();
}
