import { createHmac, timingSafeEqual } from 'node:crypto';

/** The events a webhook may subscribe to, with their French label. */
export const WEBHOOK_EVENTS = {
  'demande.validee': 'Demande validée',
  'demande.refusee': 'Demande refusée',
  'habilitation.revoquee': 'Habilitation révoquée',
  'jeton.revoque': 'Jeton révoqué',
} as const;
export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;

export const isWebhookEvent = (value: string): value is WebhookEvent => value in WEBHOOK_EVENTS;

/** After this many failed attempts in a row, a webhook is disabled and the admins are told. */
export const DISABLE_AFTER_FAILURES = 10;
/** Attempts of one delivery by the job queue (its own backoff, exponential) before it is given up. */
export const DELIVERY_ATTEMPTS = 8;
/** A receiver should refuse a signature older than this (replays). */
export const SIGNATURE_TOLERANCE_S = 300;

/**
 * `SignUp-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the timestamp is signed with the body, so
 * that a receiver can refuse an old message replayed, as Stripe's webhooks do.
 */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver checks (and our tests do): the signature matches and is recent. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  toleranceS = SIGNATURE_TOLERANCE_S,
): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceS || !parts.v1) return false;
  const expected = Buffer.from(signatureHeader(secret, body, timestamp).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
