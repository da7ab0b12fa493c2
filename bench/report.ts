import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REQUEST_HEADERS, type LoadSettings, type Measurement } from './measure.ts';

export const RESULTS_FILE = path.resolve(import.meta.dirname, 'results/latest.json');

const COLUMNS = ['name', 'req/s (mean)', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs baseline'] as const;

/** Requests per second relative to the baseline, e.g. "0.62×". */
export function ratio(measurement: Measurement, baseline: Measurement): string {
  if (baseline.requestsPerSecond <= 0) return 'n/a';
  return `${(measurement.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}×`;
}

function row(measurement: Measurement, baseline: Measurement): string[] {
  return [
    measurement.name,
    measurement.requestsPerSecond.toFixed(0),
    measurement.latencyP50Ms.toFixed(0),
    measurement.latencyP99Ms.toFixed(0),
    String(measurement.non2xx),
    String(measurement.errors),
    ratio(measurement, baseline),
  ];
}

/** A plain-text table, first column left-aligned, the others right-aligned. */
export function formatTable(measurements: Measurement[], baseline: Measurement): string {
  const rows = [[...COLUMNS], ...measurements.map((m) => row(m, baseline))];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(rows[0] ?? []), rule, ...rows.slice(1).map(line)].join('\n');
}

/** Lines describing every run that got non-2xx answers or connection errors; empty when all went well. */
export function problems(measurements: Measurement[]): string[] {
  return measurements
    .filter((m) => m.non2xx > 0 || m.errors > 0)
    .map(
      (m) =>
        `${m.name}: ${m.non2xx} non-2xx, ${m.errors} errors (${m.timeouts} timeouts), status codes ${JSON.stringify(m.statusCodes)}`,
    );
}

/** Writes the run, with what is needed to compare it with another one, to bench/results/latest.json. */
export async function writeResults(
  measurements: Measurement[],
  baseline: Measurement,
  settings: LoadSettings,
  loadAverageAtStart: number[],
): Promise<string> {
  const cpus = os.cpus();
  const document = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg(),
    parameters: {
      ...settings,
      pipelining: 1,
      loadGeneratorWorkers: 1,
      host: '127.0.0.1',
      nodeEnv: 'test',
      headers: REQUEST_HEADERS,
    },
    results: measurements.map((m) => ({ ...m, ratioToBaseline: m.requestsPerSecond / baseline.requestsPerSecond })),
  };
  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(document, null, 2)}\n`);
  return RESULTS_FILE;
}
