import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { DELIVERY_ATTEMPTS, type WebhookEvent } from '../domain/webhooks.ts';
import { enqueue } from '../db/job-queue.ts';
import { insertDelivery, subscribers } from '../repositories/webhooks.ts';

/**
 * An event for API Entreprise's systems, in the transaction of the change that causes it: one delivery per webhook
 * subscribed to it, with its JSON frozen, and a job of the queue for each (sent after commit, retried with backoff).
 */
export async function emitWebhook(trx: Knex, event: WebhookEvent, data: Record<string, unknown>): Promise<void> {
  const webhooks = await subscribers(trx, event);
  if (!webhooks.length) return;
  const eventId = randomUUID();
  const payload = { id: eventId, type: event, created_at: new Date().toISOString(), data };
  for (const webhookId of webhooks) {
    const deliveryId = await insertDelivery(trx, { webhookId, eventId, event, payload });
    await enqueue(trx, 'webhook_delivery', { deliveryId }, { maxAttempts: DELIVERY_ATTEMPTS });
  }
}
