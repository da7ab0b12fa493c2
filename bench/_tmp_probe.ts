import autocannon from 'autocannon';
import { startBaseline } from './baseline.ts';
const b = await startBaseline();
await autocannon({ url: `${b.url}/`, connections: 10, duration: 2 });
for (const workers of [undefined, 1, undefined, 1, undefined, 1]) {
  const opts = { url: `${b.url}/`, connections: 10, duration: 5, ...(workers ? { workers } : {}) };
  const r = await autocannon(opts);
  console.log(workers ?? 'main', r.requests.average, r.latency.p50, r.latency.p99, r.non2xx);
}
await b.close();
