import type { Knex } from 'knex';

/** Every task of the job queue with its payload: adding a job is checked against this list. */
export type TaskPayloads = {
  send_email: { emailId: string };
  scan_attachment: { attachmentId: string };
  password_reset: { email: string };
  webhook_delivery: { deliveryId: string };
};
export type TaskName = keyof TaskPayloads;

export type EnqueueOptions = {
  /** One job per key: adding again replaces a job still waiting (its attempts start over) rather than adding one. */
  jobKey?: string;
  maxAttempts?: number;
};

/**
 * The one way to add a job: in `trx`, so that the job exists if and only if the change that causes it is committed
 * (graphile-worker's `add_job`, in the same database).
 */
export async function enqueue<T extends TaskName>(
  trx: Knex,
  task: T,
  payload: TaskPayloads[T],
  options: EnqueueOptions = {},
): Promise<void> {
  const args = ['?', '?::json'];
  const bindings: (string | number)[] = [task, JSON.stringify(payload)];
  if (options.jobKey !== undefined) {
    args.push('job_key => ?');
    bindings.push(options.jobKey);
  }
  if (options.maxAttempts !== undefined) {
    args.push('max_attempts => ?');
    bindings.push(options.maxAttempts);
  }
  await trx.raw('SELECT graphile_worker.add_job(' + args.join(', ') + ')', bindings);
}
