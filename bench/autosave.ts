/**
 * `npm run bench:autosave`: the request wizard under load. N applicants (50 by default), each signed in with a draft
 * of their own, autosave the first step over N connections; then the same step page is loaded, next to the bare
 * Express + Nunjucks baseline rendering the same template. Afterwards, the database must hold every save the server
 * accepted (versions gained = accepted saves: no lost update). See bench/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadAutosave, loadPage, newSlots, type LoadSettings, type Run, type Slot } from './autosave-load.ts';
import { formatRuns, loadLine, writeAutosaveResults } from './autosave-report.ts';
import { embeddedDatabaseUrl, prepareApplicants, readDrafts, type Draft } from './autosave-setup.ts';
import { positiveInteger } from './measure.ts';
import { startSignUp, type RunningSignUp } from './signup-process.ts';

/** The baseline in a process of its own (bench/baseline-step.ts); resolves with its URL once it listens. */
function startBaselineProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'baseline-step.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`baseline exited (code ${code})`)));
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve({ url: (JSON.parse(line) as { url: string }).url, child }),
    );
  });
}

/**
 * After a run: a connection's last save may have been made without autocannon reading the answer. Such a save must be
 * the last one sent (at most one per connection); the page then takes the database's version, as a reload would.
 */
async function settle(databaseUrl: string, slots: Slot[], problems: string[]): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const drafts = await readDrafts(
    databaseUrl,
    slots.map((s) => s.applicant.requestId),
  );
  for (const slot of slots) {
    const draft = drafts.get(slot.applicant.requestId)!;
    const ahead = draft.version - Number(slot.version);
    if (ahead === 0) continue;
    if (ahead !== 1 || draft.demarche?.title !== slot.pendingTitle)
      problems.push(
        `draft ${slot.applicant.requestId}: version ${draft.version} in the database, ${slot.version} in the page, title « ${String(draft.demarche?.title)} »`,
      );
    slot.unread += ahead;
    slot.version = String(draft.version);
    slot.base = JSON.stringify(draft.demarche ?? {});
    slot.lastAcceptedTitle = slot.pendingTitle;
  }
}

/** Every accepted save is in the database: versions gained = saves accepted (+ saves made but unread), last title kept. */
function lostUpdates(slots: Slot[], before: Map<string, Draft>, after: Map<string, Draft>): string[] {
  return slots.flatMap((slot) => {
    const id = slot.applicant.requestId;
    const gained = after.get(id)!.version - before.get(id)!.version;
    const problems: string[] = [];
    if (gained !== slot.accepted + slot.unread)
      problems.push(
        `draft ${id}: ${gained} versions gained for ${slot.accepted} accepted + ${slot.unread} unread saves`,
      );
    if (after.get(id)!.demarche?.title !== slot.lastAcceptedTitle)
      problems.push(
        `draft ${id}: title « ${String(after.get(id)!.demarche?.title)} » instead of « ${slot.lastAcceptedTitle} »`,
      );
    return problems;
  });
}

/** `BENCH_ONLY=étape` or `BENCH_ONLY=autosave`: the baselines and only those rows (a CPU profile of one request). */
const wanted = (row: 'étape' | 'autosave') => !process.env.BENCH_ONLY || process.env.BENCH_ONLY === row;

async function measureAll(signUp: RunningSignUp, baselineUrl: string, settings: LoadSettings) {
  const databaseUrl = embeddedDatabaseUrl(signUp.ports.postgres);
  process.stderr.write(`Creating ${settings.connections} applicants with a draft each, signing them in…\n`);
  const slots = newSlots(await prepareApplicants(databaseUrl, signUp.url, settings.connections));
  const ids = slots.map((s) => s.applicant.requestId);
  const html = async (url: string, cookie?: string) =>
    (await (await fetch(url, { headers: cookie ? { cookie } : {} })).text()).length;
  const sizes = {
    signUp: await html(signUp.url + slots[0]!.applicant.stepPath, slots[0]!.applicant.cookie),
    baseline: await html(`${baselineUrl}/demandes/1/demarche`),
  };
  process.stderr.write(
    `Step page HTML (uncompressed): SignUp ${sizes.signUp} characters, baseline ${sizes.baseline}\n`,
  );
  const runs: Run[] = [];
  runs.push(await loadPage('baseline GET / (accueil)', baselineUrl, () => '/', settings));
  runs.push(await loadPage('baseline GET étape 1 (gabarit)', baselineUrl, () => '/demandes/1/demarche', settings));
  if (wanted('étape'))
    runs.push(
      await loadPage('SignUp GET étape 1 (connecté)', signUp.url, (slot) => slot!.applicant.stepPath, settings, slots),
    );
  const problems: string[] = [];
  const saves = { accepted: 0, unread: 0 };
  if (!wanted('autosave')) return { runs, problems, saves, sizes };
  const before = await readDrafts(databaseUrl, ids);
  const changed = await loadAutosave('SignUp autosave, texte changé', signUp.url, slots, settings, false, () =>
    settle(databaseUrl, slots, problems),
  );
  runs.push(changed);
  problems.push(...lostUpdates(slots, before, await readDrafts(databaseUrl, ids)));
  saves.accepted = slots.reduce((n, s) => n + s.accepted, 0);
  saves.unread = slots.reduce((n, s) => n + s.unread, 0);
  for (const slot of slots) Object.assign(slot, { accepted: 0, unread: 0 });
  runs.push(
    await loadAutosave('SignUp autosave, même texte', signUp.url, slots, settings, true, () =>
      settle(databaseUrl, slots, problems),
    ),
  );
  const final = await readDrafts(databaseUrl, ids);
  for (const id of ids)
    if (final.get(id)!.demarche?.title !== 'Démarche sans changement')
      problems.push(`draft ${id}: unchanged-text run left « ${String(final.get(id)!.demarche?.title)} »`);
  return { runs, problems, saves, sizes };
}

async function main(): Promise<void> {
  const settings: LoadSettings = {
    connections: positiveInteger('BENCH_CONNECTIONS', 50),
    durationSeconds: positiveInteger('BENCH_DURATION', 10),
    warmupSeconds: 2,
  };
  const loadAtStart = os.loadavg();
  console.log(loadLine('At start', loadAtStart));
  let baseline: ChildProcess | undefined;
  let signUp: RunningSignUp | undefined;
  const cleanUp = async () => {
    baseline?.kill('SIGTERM');
    await signUp?.stop();
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    const started = await startBaselineProcess();
    baseline = started.child;
    process.stderr.write('Starting SignUp (embedded PostgreSQL in a temporary directory)…\n');
    signUp = await startSignUp();
    await signUp.ready;
    const { runs, problems, saves, sizes } = await measureAll(signUp, started.url, settings);
    console.log(
      `\n${settings.connections} connections (one applicant, session and draft each), ${settings.durationSeconds} s per run after ${settings.warmupSeconds} s of warm-up\n`,
    );
    console.log(formatRuns(runs, runs[1]!));
    console.log(
      `\nChanged-text autosaves (warm-up + run): ${saves.accepted} answered 200, ${saves.unread} made but unanswered when the load stopped; lost updates: ${problems.length === 0 ? 0 : 'SEE BELOW'}`,
    );
    console.log(loadLine('At end', os.loadavg()));
    for (const problem of problems) console.log(`WARNING ${problem}`);
    const failed = runs.filter((r) => r.result.non2xx > 0 || r.result.errors > 0);
    for (const run of failed)
      console.log(
        `WARNING ${run.name}: ${run.result.non2xx} non-2xx, ${run.result.errors} errors, ${JSON.stringify(run.result.statusCodeStats)}`,
      );
    if (problems.length > 0 || failed.length > 0) process.exitCode = 1;
    console.log(
      `\nResults written to ${await writeAutosaveResults(runs, settings, { loadAverageAtStart: loadAtStart, changedTextSaves: saves, stepPageCharacters: sizes, problems })}`,
    );
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
