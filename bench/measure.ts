import autocannon, { type Result } from 'autocannon';

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
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
};

/** One request before loading a URL: measuring an error page would be meaningless. */
async function preflight(target: Target): Promise<void> {
  const response = await fetch(target.url, { signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${target.name}: GET ${target.url} answered ${response.status}, not 2xx`);
}

/**
 * The load generator runs in a worker thread: the baseline server lives in this process, and sharing its event loop
 * with autocannon would slow the baseline down and flatter every ratio.
 */
function fire(url: string, connections: number, durationSeconds: number): Promise<Result> {
  return Promise.resolve(autocannon({ url, connections, duration: durationSeconds, pipelining: 1, timeout: 10, workers: 1 }));
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
