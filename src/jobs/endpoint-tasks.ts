import type { TaskList } from 'graphile-worker';
import type { EndpointStatusService } from '../services/endpoint-status.ts';

/** graphile-worker's crontab: every endpoint probed every minute. */
export const ENDPOINT_CRONTAB = '* * * * * endpoint_probes';

/** The cron's task, on `clock` (the real one in production, a chosen date in tests). */
export function endpointTasks(status: EndpointStatusService, clock: () => Date = () => new Date()): TaskList {
  return {
    endpoint_probes: async () => {
      await status.probeAll(clock());
    },
  };
}
