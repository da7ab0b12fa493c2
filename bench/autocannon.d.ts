/**
 * Minimal typings for the parts of autocannon's programmatic API that the benchmark uses
 * (autocannon ships no types and @types/autocannon is not a dependency).
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  /** One request of a connection's sequence; `setupRequest` runs before each send, `onResponse` after each answer. */
  export type Request = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request | null | undefined;
    onResponse?: (
      status: number,
      body: string,
      context: Record<string, unknown>,
      headers: Record<string, string | string[]>,
    ) => void;
  };

  /** A connection, as `setupClient` receives it (main thread only). */
  export type Client = EventEmitter & { setRequests: (requests: Request[]) => void };

  export type Options = {
    url: string;
    method?: string;
    requests?: Request[];
    setupClient?: (client: Client) => void;
    connections?: number;
    duration?: number;
    pipelining?: number;
    timeout?: number;
    workers?: number;
    title?: string;
    headers?: Record<string, string>;
  };

  /** hdr-histogram-percentiles-obj: min, max, mean and the usual percentiles. */
  export type Histogram = {
    min: number;
    max: number;
    average: number;
    mean: number;
    stddev: number;
    total: number;
    p50: number;
    p75: number;
    p90: number;
    p97_5: number;
    p99: number;
  };

  export type Result = {
    title?: string;
    url: string;
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    start: Date;
    finish: Date;
    statusCodeStats: Record<string, { count: number }>;
  };

  export type Instance = EventEmitter & PromiseLike<Result> & { stop: () => void };

  function autocannon(options: Options): Instance;
  export default autocannon;
}
