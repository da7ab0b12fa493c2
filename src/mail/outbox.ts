import type { Knex } from 'knex';
import { enqueue } from '../db/job-queue.ts';

export type OutgoingEmail = { to: string; subject: string; text: string; html?: string; template: string };

/** Maximum delivery attempts; with graphile-worker's exponential backoff the last one is about six hours later. */
export const MAX_EMAIL_ATTEMPTS = 10;

/** Header-safe subject: no line breaks (no header injection), trimmed. */
function safeSubject(subject: string): string {
  return subject
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, 250);
}

/**
 * Writes an email to the outbox and queues its delivery job, both in `trx`: the message exists if and only if the
 * change that causes it is committed. The worker delivers it after commit.
 */
export async function enqueueEmail(trx: Knex | Knex.Transaction, email: OutgoingEmail): Promise<string> {
  const [row] = (await trx('emails')
    .insert({
      to_address: email.to,
      subject: safeSubject(email.subject),
      text_body: email.text,
      html_body: email.html ?? null,
      template: email.template,
    })
    .returning('id')) as { id: string }[];
  const id = (row as { id: string }).id;
  await enqueue(trx, 'send_email', { emailId: id }, { jobKey: `email:${id}`, maxAttempts: MAX_EMAIL_ATTEMPTS });
  return id;
}
