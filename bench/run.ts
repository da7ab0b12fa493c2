import os from 'node:os';
import { startBaseline, type RunningBaseline } from './baseline.ts';
import { measure, positiveInteger, type LoadSettings, type Measurement, type Target } from './measure.ts';
import { formatTable, problems, writeResults } from './report.ts';
import { startSignUp, type RunningSignUp } from './signup-process.ts';

const WARMUP_SECONDS = 2;

function readSettings(): LoadSettings {
  return {
    durationSeconds: positiveInteger('BENCH_DURATION', 10),
    connections: positiveInteger('BENCH_CONNECTIONS', 10),
    warmupSeconds: WARMUP_SECONDS,
  };
}

/** `BENCH_ONLY=/cas-usage` keeps the baseline and the targets whose name ends with it (to profile one page). */
function targets(baselineUrl: string, signUpUrl: string): Target[] {
  const only = process.env.BENCH_ONLY;
  return [
    { name: 'baseline GET /', url: `${baselineUrl}/` },
    { name: 'SignUp GET /', url: `${signUpUrl}/` },
    { name: 'SignUp GET /cas-usage', url: `${signUpUrl}/cas-usage` },
    { name: 'SignUp GET /healthz', url: `${signUpUrl}/healthz` },
    { name: 'SignUp GET /readyz', url: `${signUpUrl}/readyz` },
  ].filter((target) => !only || target.name.startsWith('baseline') || target.name.endsWith(only));
}

/** Measures the targets one after the other: they share the machine, so never at the same time. */
async function measureAll(list: Target[], settings: LoadSettings): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  for (const target of list) measurements.push(await measure(target, settings));
  return measurements;
}

async function report(
  measurements: Measurement[],
  settings: LoadSettings,
  loadAverageAtStart: number[],
): Promise<void> {
  const [baseline] = measurements;
  if (!baseline) throw new Error('no measurement');
  console.log(
    `\n${settings.connections} connections, ${settings.durationSeconds} s per target, after ${settings.warmupSeconds} s of warm-up\n`,
  );
  console.log(formatTable(measurements, baseline));
  const issues = problems(measurements);
  for (const issue of issues) console.log(`WARNING ${issue}`);
  if (issues.length > 0) process.exitCode = 1;
  console.log(`\nResults written to ${await writeResults(measurements, baseline, settings, loadAverageAtStart)}`);
}

/** Starts both servers, measures, reports; whatever happens, stops what it started. */
async function main(): Promise<void> {
  const settings = readSettings();
  const loadAverageAtStart = os.loadavg(); // other work on the machine skews every figure: keep a trace of it
  let baseline: RunningBaseline | undefined;
  let signUp: RunningSignUp | undefined;
  const cleanUp = async () => {
    await Promise.allSettled([baseline?.close(), signUp?.stop()]);
  };
  const interrupt = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping SignUp…\n`);
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    baseline = await startBaseline();
    process.stderr.write('Starting SignUp (embedded PostgreSQL in a temporary directory)…\n');
    signUp = await startSignUp();
    await signUp.ready;
    const measurements = await measureAll(targets(baseline.url, signUp.url), settings);
    await report(measurements, settings, loadAverageAtStart);
  } finally {
    await cleanUp();
  }
}

/** The message, and the cause's when there is one ("fetch failed" alone says little). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? error.message : `${error.message}: ${describe(error.cause)}`;
}

main().catch((error: unknown) => {
  console.error(describe(error));
  process.exitCode = 1;
});
