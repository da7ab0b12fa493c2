/**
 * The autosave bench's table (stdout) and bench/results/autosave.json (git-ignored): per run, req/s, latency
 * percentiles, status codes, and for autosaves how many saves the server accepted.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Result } from 'autocannon';
import type { LoadSettings, Run } from './autosave-load.ts';

export const AUTOSAVE_RESULTS_FILE = path.resolve(import.meta.dirname, 'results/autosave.json');

const COLUMNS = [
  'name',
  'req/s',
  'p50 ms',
  'p97.5 ms',
  'p99 ms',
  'max ms',
  '2xx',
  'non-2xx',
  'errors',
  'vs step baseline',
] as const;

const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));

function twoHundreds(result: Result): number {
  return Object.entries(result.statusCodeStats)
    .filter(([code]) => code.startsWith('2'))
    .reduce((sum, [, { count }]) => sum + Number(count), 0);
}

function cells(run: Run, reference: Run): string[] {
  const { result } = run;
  return [
    run.name,
    result.requests.average.toFixed(0),
    ms(result.latency.p50),
    ms(result.latency.p97_5),
    ms(result.latency.p99),
    ms(result.latency.max),
    String(twoHundreds(result)),
    String(result.non2xx),
    String(result.errors + result.timeouts),
    reference.result.requests.average > 0
      ? `${(result.requests.average / reference.result.requests.average).toFixed(2)}×`
      : 'n/a',
  ];
}

/** Plain-text table; `reference` is the run the last column divides by (the step template on bare Express). */
export function formatRuns(runs: Run[], reference: Run): string {
  const rows = [[...COLUMNS], ...runs.map((run) => cells(run, reference))];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((r) => (r[column] ?? '').length)));
  const line = (r: string[]) =>
    r.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function loadLine(label: string, load: number[]): string {
  return `${label}: load average ${load.map((l) => l.toFixed(2)).join(', ')} (${os.cpus().length} CPU)`;
}

export async function writeAutosaveResults(
  runs: Run[],
  settings: LoadSettings,
  extra: Record<string, unknown>,
): Promise<string> {
  const cpus = os.cpus();
  const document = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    loadAverageAtEnd: os.loadavg(),
    parameters: { ...settings, pipelining: 1, host: '127.0.0.1', nodeEnv: 'test' },
    ...extra,
    results: runs.map(({ name, result, saves }) => ({
      name,
      requestsPerSecond: result.requests.average,
      totalRequests: result.requests.total,
      latencyMs: {
        p50: result.latency.p50,
        p75: result.latency.p75,
        p90: result.latency.p90,
        p97_5: result.latency.p97_5,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: result.latency.average,
      },
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: Object.fromEntries(
        Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]),
      ),
      ...(saves ? { saves } : {}),
    })),
  };
  await mkdir(path.dirname(AUTOSAVE_RESULTS_FILE), { recursive: true });
  await writeFile(AUTOSAVE_RESULTS_FILE, `${JSON.stringify(document, null, 2)}\n`);
  return AUTOSAVE_RESULTS_FILE;
}
