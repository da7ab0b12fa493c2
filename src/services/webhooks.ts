import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { derivedKey, seal, unseal } from '../domain/sealing.ts';
import {
  DELIVERY_ATTEMPTS,
  DISABLE_AFTER_FAILURES,
  isWebhookEvent,
  signatureHeader,
  WEBHOOK_EVENTS,
} from '../domain/webhooks.ts';
import { enqueue } from '../db/job-queue.ts';
import type { FieldError } from '../forms/validation.ts';
import type { Logger } from '../logger.ts';
import { recordAudit } from '../repositories/audit.ts';
import {
  adminEmails,
  attemptsOf,
  deliveriesOf,
  disableWebhook,
  enableWebhook,
  findDelivery,
  findWebhook,
  insertWebhook,
  listWebhooks,
  markDeliveryFailed,
  markDeliveryPending,
  recordAttempt,
} from '../repositories/webhooks.ts';
import type { User } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';
import type { Fetcher } from './endpoint-status.ts';

const TIMEOUT_MS = 10_000;
const AAD = Buffer.from('webhook-secret');

/** A failed attempt, for the job queue to try again later (its backoff). */
export class DeliveryFailed extends Error {}

/**
 * Webhooks to API Entreprise's systems: subscriptions managed by admins (the signing secret shown once), deliveries
 * signed with HMAC-SHA256 over the timestamp and the body, each attempt recorded, retried by the job queue, replayed
 * by an admin; a webhook failing DISABLE_AFTER_FAILURES times in a row is disabled and the admins are emailed.
 */
export function webhookService(
  db: Knex,
  mail: Mailer,
  options: { sessionSecret: string; allowHttp: boolean; logger: Logger; fetcher?: Fetcher },
) {
  const key = derivedKey(options.sessionSecret, 'webhook-secrets');
  const fetcher = options.fetcher ?? ((url, init) => fetch(url, init));

  function problemsOf(body: Record<string, unknown>) {
    const label = typeof body.nom === 'string' ? body.nom.trim() : '';
    const url = typeof body.adresse === 'string' ? body.adresse.trim() : '';
    const raw = body.evenements;
    const events = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
      (e): e is string => typeof e === 'string',
    );
    const problems: FieldError[] = [];
    if (!label || label.length > 100)
      problems.push({ field: 'nom', message: 'Donnez un nom au webhook, 100 caractères au plus' });
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['https:', ...(options.allowHttp ? ['http:'] : [])].includes(parsed.protocol) || url.length > 500)
      problems.push({
        field: 'adresse',
        message: 'Saisissez l’adresse du webhook, en https, par exemple https://systeme.api.gouv.fr/webhooks/signup',
      });
    if (!events.length || !events.every(isWebhookEvent))
      problems.push({ field: 'evenements', message: 'Cochez au moins un événement à envoyer' });
    return { values: { nom: label, adresse: url, evenements: events }, problems };
  }

  return {
    list: () => listWebhooks(db),

    /** A webhook with its latest deliveries and their attempts. */
    async page(id: string) {
      const webhook = await findWebhook(db, id);
      if (!webhook) return undefined;
      const deliveries = await deliveriesOf(db, webhook.id);
      const attempts = await attemptsOf(
        db,
        deliveries.map((d) => d.id),
      );
      return {
        webhook,
        deliveries: deliveries.map((d) => ({ ...d, attemptList: attempts.filter((a) => a.deliveryId === d.id) })),
      };
    },

    /** A new webhook (audited): its signing secret is returned sealed, for the page that shows it once. */
    async create(
      user: User,
      body: Record<string, unknown>,
    ): Promise<
      | { kind: 'created'; id: string; sealedSecret: string }
      | { kind: 'invalid'; values: Record<string, unknown>; problems: FieldError[] }
    > {
      const { values, problems } = problemsOf(body);
      if (problems.length) return { kind: 'invalid', values, problems };
      const secret = `whsec_${randomBytes(32).toString('base64url')}`;
      const id = await db.transaction(async (trx) => {
        const webhookId = await insertWebhook(trx, {
          label: values.nom,
          url: values.adresse,
          events: values.evenements,
          secretSealed: seal(key, secret, AAD),
          createdBy: user.id,
        });
        await recordAudit(trx, {
          actorId: user.id,
          action: 'webhook.created',
          subjectType: 'webhook',
          subjectId: webhookId,
          details: { url: values.adresse, events: values.evenements },
        });
        return webhookId;
      });
      return { kind: 'created', id, sealedSecret: seal(key, secret, Buffer.from(`shown-${id}`)).toString('base64') };
    },

    /** The secret of a webhook just made, from what the session kept. */
    revealSecret: (id: string, sealed: string) =>
      unseal(key, Buffer.from(sealed, 'base64'), Buffer.from(`shown-${id}`)),

    /** One attempt of a delivery (the queue's task): recorded whatever happens; throws to be tried again. */
    async deliver(deliveryId: string, now = new Date()): Promise<'delivered' | 'dropped'> {
      const delivery = await findDelivery(db, deliveryId);
      const webhook = delivery && (await findWebhook(db, delivery.webhookId));
      if (!delivery || !webhook || delivery.status === 'delivered') return 'dropped';
      if (!webhook.active) {
        await markDeliveryFailed(db, delivery.id);
        return 'dropped';
      }
      const secret = unseal(key, webhook.secretSealed, AAD);
      if (!secret) throw new Error(`webhook ${webhook.id}: secret unreadable (SESSION_SECRET changed?)`);
      const body = JSON.stringify(delivery.payload);
      const started = performance.now();
      let status: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetcher(webhook.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'SignUp (webhooks)',
            'signup-event': delivery.event,
            'signup-delivery': delivery.eventId,
            'signup-signature': signatureHeader(secret, body, Math.floor(now.getTime() / 1000)),
          },
          body,
        });
        status = response.status;
        await response.body?.cancel().catch(() => undefined);
      } catch (failure) {
        error =
          failure instanceof Error && (failure.name === 'TimeoutError' || failure.name === 'AbortError')
            ? `pas de réponse en ${TIMEOUT_MS / 1000} s`
            : 'connexion impossible';
      }
      const ok = status !== null && status >= 200 && status < 300;
      const durationMs = Math.round(performance.now() - started);
      const { consecutiveFailures } = await db.transaction(async (trx) => {
        const outcome = await recordAttempt(trx, delivery, { httpStatus: status, durationMs, error, ok });
        if (!ok && delivery.attempts + 1 >= DELIVERY_ATTEMPTS) await markDeliveryFailed(trx, delivery.id);
        if (!ok && outcome.consecutiveFailures >= DISABLE_AFTER_FAILURES && (await disableWebhook(trx, webhook.id))) {
          for (const address of await adminEmails(trx))
            await mail(trx, 'webhook-desactive', address, { webhook, failures: outcome.consecutiveFailures });
          await markDeliveryFailed(trx, delivery.id);
        }
        return outcome;
      });
      if (ok) return 'delivered';
      options.logger.warn({ webhook: webhook.id, delivery: delivery.id, status, error }, 'webhook attempt failed');
      if (consecutiveFailures >= DISABLE_AFTER_FAILURES) return 'dropped';
      throw new DeliveryFailed(`webhook ${webhook.id}: ${status ?? error}`);
    },

    /** An admin sends a delivery again (audited): a new job, its attempts start over. */
    async replay(user: User, webhookId: string, deliveryId: string): Promise<boolean> {
      const delivery = await findDelivery(db, deliveryId);
      if (!delivery || delivery.webhookId !== webhookId) return false;
      await db.transaction(async (trx) => {
        await markDeliveryPending(trx, delivery.id);
        await enqueue(trx, 'webhook_delivery', { deliveryId: delivery.id }, { maxAttempts: DELIVERY_ATTEMPTS });
        await recordAudit(trx, {
          actorId: user.id,
          action: 'webhook.replayed',
          subjectType: 'webhook',
          subjectId: webhookId,
          details: { deliveryId: delivery.id },
        });
      });
      return true;
    },

    /** Enables a disabled webhook again, its run of failures cleared (audited). */
    async enable(user: User, id: string): Promise<boolean> {
      const webhook = await findWebhook(db, id);
      if (!webhook) return false;
      await db.transaction(async (trx) => {
        await enableWebhook(trx, id);
        await recordAudit(trx, { actorId: user.id, action: 'webhook.enabled', subjectType: 'webhook', subjectId: id });
      });
      return true;
    },

    events: WEBHOOK_EVENTS,
  };
}

export type WebhookService = ReturnType<typeof webhookService>;
