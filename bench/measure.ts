import autocannon, { type Result } from 'autocannon';

/** A positive integer from the environment, or the default; anything else is an error. */
export function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
}

export type Target = { name: string; url: string };

export type LoadSettings = { durationSeconds: number; warmupSeconds: number; connections: number };

export type Measurement = {
  name: string;
  url: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  totalRequests: number;
  /** Bytes on the wire per response, headers included: shows whether the page went out compressed. */
  meanResponseBytes: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
};

/**
 * What a browser sends that changes the server's work: with Accept-Encoding, SignUp's compression middleware really
 * compresses pages (it does nothing without it), which is part of the overhead measured against the baseline.
 */
export const REQUEST_HEADERS: Readonly<Record<string, string>> = {
  accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
};

/** One request before loading a URL: measuring an error page would be meaningless. */
async function preflight(target: Target): Promise<void> {
  const response = await fetch(target.url, { headers: REQUEST_HEADERS, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${target.name}: GET ${target.url} answered ${response.status}, not 2xx`);
}

/**
 * The load generator runs in a worker thread: the baseline server lives in this process, and sharing its event loop
 * with autocannon would slow the baseline down and flatter every ratio.
 */
function fire(url: string, connections: number, durationSeconds: number): Promise<Result> {
  const options = {
    url,
    connections,
    duration: durationSeconds,
    pipelining: 1,
    timeout: 10,
    workers: 1,
    headers: { ...REQUEST_HEADERS },
  };
  return Promise.resolve(autocannon(options));
}

function statusCounts(result: Result): Record<string, number> {
  return Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]));
}

function summarise(target: Target, result: Result): Measurement {
  return {
    name: target.name,
    url: target.url,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.average,
    totalRequests: result.requests.total,
    meanResponseBytes: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: statusCounts(result),
    durationSeconds: result.duration,
  };
}

/** Checks the URL, warms it up (not recorded), then loads it for the configured duration. */
export async function measure(target: Target, settings: LoadSettings): Promise<Measurement> {
  await preflight(target);
  process.stderr.write(`${target.name}: warm-up ${settings.warmupSeconds} s, `);
  await fire(target.url, settings.connections, settings.warmupSeconds);
  process.stderr.write(`measure ${settings.durationSeconds} s… `);
  const result = await fire(target.url, settings.connections, settings.durationSeconds);
  const measurement = summarise(target, result);
  process.stderr.write(`${Math.round(measurement.requestsPerSecond)} req/s\n`);
  return measurement;
}
