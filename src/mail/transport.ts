import nodemailer, { type Transporter } from 'nodemailer';

/**
 * SMTP when SMTP_URL is set. Without it (the embedded default) messages are only kept in the outbox table and
 * readable at /dev/courriels: the JSON transport accepts them without sending anything.
 */
export function createTransport(smtpUrl: string | undefined): Transporter {
  if (!smtpUrl) return nodemailer.createTransport({ jsonTransport: true });
  return nodemailer.createTransport(smtpUrl, {}).setMaxListeners(0) as unknown as Transporter;
}
