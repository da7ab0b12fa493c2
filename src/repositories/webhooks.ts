import type { Knex } from 'knex';
import type { WebhookEvent } from '../domain/webhooks.ts';

export type Webhook = {
  id: string;
  label: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  consecutiveFailures: number;
  disabledAt: Date | null;
  createdAt: Date;
};

const COLUMNS = [
  'id',
  'label',
  'url',
  'events',
  'active',
  'consecutive_failures as consecutiveFailures',
  'disabled_at as disabledAt',
  'created_at as createdAt',
];

export async function listWebhooks(db: Knex): Promise<Webhook[]> {
  return (await db('webhooks').orderBy('id').select(COLUMNS)) as Webhook[];
}

export async function findWebhook(db: Knex, id: string): Promise<(Webhook & { secretSealed: Buffer }) | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await db('webhooks')
    .where({ id })
    .first([...COLUMNS, 'secret_sealed as secretSealed'])) as (Webhook & { secretSealed: Buffer }) | undefined;
}

export async function insertWebhook(
  db: Knex,
  row: { label: string; url: string; events: string[]; secretSealed: Buffer; createdBy: string },
): Promise<string> {
  const [inserted] = (await db('webhooks')
    .insert({
      label: row.label,
      url: row.url,
      events: row.events,
      secret_sealed: row.secretSealed,
      created_by: row.createdBy,
    })
    .returning('id')) as { id: string }[];
  return inserted!.id;
}

export async function enableWebhook(db: Knex, id: string): Promise<void> {
  await db('webhooks').where({ id }).update({ active: true, consecutive_failures: 0, disabled_at: null });
}

/** The active webhooks subscribed to an event. */
export async function subscribers(db: Knex, event: WebhookEvent): Promise<string[]> {
  return (await db('webhooks').where({ active: true }).whereRaw('? = ANY(events)', [event]).pluck('id')) as string[];
}

export async function insertDelivery(
  db: Knex,
  row: { webhookId: string; eventId: string; event: WebhookEvent; payload: object },
): Promise<string> {
  const [inserted] = (await db('webhook_deliveries')
    .insert({
      webhook_id: row.webhookId,
      event_id: row.eventId,
      event: row.event,
      payload: JSON.stringify(row.payload),
    })
    .returning('id')) as { id: string }[];
  return inserted!.id;
}

export type Delivery = {
  id: string;
  webhookId: string;
  eventId: string;
  event: WebhookEvent;
  payload: object;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: Date;
  deliveredAt: Date | null;
};

const DELIVERY_COLUMNS = [
  'id',
  'webhook_id as webhookId',
  'event_id as eventId',
  'event',
  'payload',
  'status',
  'attempts',
  'created_at as createdAt',
  'delivered_at as deliveredAt',
];

export async function findDelivery(db: Knex, id: string): Promise<Delivery | undefined> {
  if (!/^\d{1,18}$/.test(String(id))) return undefined;
  return (await db('webhook_deliveries').where({ id }).first(DELIVERY_COLUMNS)) as Delivery | undefined;
}

export async function deliveriesOf(db: Knex, webhookId: string, limit = 50): Promise<Delivery[]> {
  return (await db('webhook_deliveries')
    .where({ webhook_id: webhookId })
    .orderBy('id', 'desc')
    .limit(limit)
    .select(DELIVERY_COLUMNS)) as Delivery[];
}

export type Attempt = {
  deliveryId: string;
  attemptedAt: Date;
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
};

export async function attemptsOf(db: Knex, deliveryIds: string[]): Promise<Attempt[]> {
  if (!deliveryIds.length) return [];
  return (await db('webhook_attempts')
    .whereIn('delivery_id', deliveryIds)
    .orderBy('id')
    .select(
      'delivery_id as deliveryId',
      'attempted_at as attemptedAt',
      'http_status as httpStatus',
      'duration_ms as durationMs',
      'error',
    )) as Attempt[];
}

/** One attempt, and what it changes: the delivery's state and count, the webhook's run of failures. */
export async function recordAttempt(
  db: Knex,
  delivery: { id: string; webhookId: string },
  attempt: { httpStatus: number | null; durationMs: number; error: string | null; ok: boolean },
): Promise<{ consecutiveFailures: number }> {
  await db('webhook_attempts').insert({
    delivery_id: delivery.id,
    http_status: attempt.httpStatus,
    duration_ms: attempt.durationMs,
    error: attempt.error,
  });
  await db('webhook_deliveries')
    .where({ id: delivery.id })
    .update({
      attempts: db.raw('attempts + 1'),
      ...(attempt.ok ? { status: 'delivered', delivered_at: db.fn.now() } : {}),
    });
  const [row] = (await db('webhooks')
    .where({ id: delivery.webhookId })
    .update({ consecutive_failures: attempt.ok ? 0 : db.raw('consecutive_failures + 1') })
    .returning('consecutive_failures')) as { consecutive_failures: number }[];
  return { consecutiveFailures: row?.consecutive_failures ?? 0 };
}

export async function markDeliveryFailed(db: Knex, id: string): Promise<void> {
  await db('webhook_deliveries').where({ id, status: 'pending' }).update({ status: 'failed' });
}

export async function markDeliveryPending(db: Knex, id: string): Promise<void> {
  await db('webhook_deliveries').where({ id }).update({ status: 'pending' });
}

/** Disables a webhook once (true the first time): the admins are told only then. */
export async function disableWebhook(db: Knex, id: string): Promise<boolean> {
  const rows = await db('webhooks')
    .where({ id, active: true })
    .update({ active: false, disabled_at: db.fn.now() })
    .returning('id');
  return rows.length > 0;
}

export async function adminEmails(db: Knex): Promise<string[]> {
  return (await db('users')
    .whereRaw("'admin' = ANY(roles)")
    .whereNotNull('activated_at')
    .orderBy('id')
    .pluck('email')) as string[];
}

export async function siretOfOrganisation(db: Knex, organisationId: string): Promise<string> {
  const row = (await db('organisations').where({ id: organisationId }).first('siret')) as { siret: string };
  return row.siret;
}
