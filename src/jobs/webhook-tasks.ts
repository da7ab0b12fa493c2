import type { TaskList } from 'graphile-worker';
import type { WebhookService } from '../services/webhooks.ts';

/** A delivery of a webhook: a failed attempt throws, and the queue tries again with its exponential backoff. */
export function webhookTasks(webhooks: WebhookService): TaskList {
  return {
    webhook_delivery: async (payload) => {
      await webhooks.deliver((payload as { deliveryId: string }).deliveryId);
    },
  };
}
