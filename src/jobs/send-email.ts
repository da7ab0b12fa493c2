import type { Task } from 'graphile-worker';
import type { Transporter } from 'nodemailer';
import { isDatabaseUnavailable, type Db } from '../db/knex.ts';
import { MAX_EMAIL_ATTEMPTS } from '../mail/outbox.ts';

type EmailRow = {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  status: string;
};

/**
 * Delivers one outbox email. Idempotent: an email already sent is skipped; the Message-ID is derived from the email
 * id so a duplicate delivery (worker killed after sending, before recording) can be recognised by the receiver.
 * A failure records the attempt and rethrows, and graphile-worker retries with exponential backoff.
 * Once the email is handed to the SMTP server, recording it as sent waits for a database that is away (`whenBack`)
 * rather than failing the job, which would send it again.
 */
export function sendEmailTask(
  db: Db,
  transport: Transporter,
  from: string,
  messageIdDomain: string,
  whenBack = DATABASE_WAIT,
): Task {
  return async (payload) => {
    const { emailId } = payload as { emailId: string };
    const email = (await db('emails').where({ id: emailId }).first()) as EmailRow | undefined;
    if (!email || email.status === 'sent') return;
    const [{ attempts }] = (await db('emails')
      .where({ id: emailId })
      .increment('attempts', 1)
      .update({ last_attempt_at: db.fn.now() })
      .returning('attempts')) as [{ attempts: number }];
    try {
      await transport.sendMail({
        from,
        to: email.to_address,
        subject: email.subject,
        text: email.text_body,
        ...(email.html_body ? { html: email.html_body } : {}),
        messageId: `<${email.id}@${messageIdDomain}>`,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db('emails')
        .where({ id: emailId })
        .update({ last_error: message.slice(0, 500), status: attempts >= MAX_EMAIL_ATTEMPTS ? 'failed' : 'pending' });
      throw error;
    }
    await untilAnswered(
      () => db('emails').where({ id: emailId }).update({ status: 'sent', sent_at: db.fn.now(), last_error: null }),
      whenBack,
    );
  };
}

/** How long, and how often, work that must be recorded waits for a database that is away: 30 minutes, every 1 to 10 s. */
export const DATABASE_WAIT = { maxMs: 30 * 60_000, firstDelayMs: 1000, maxDelayMs: 10_000 };

/** Runs `work` again while the database is unavailable (stopped, frozen), with a growing pause, up to `maxMs`. */
export async function untilAnswered<T>(work: () => PromiseLike<T>, wait: typeof DATABASE_WAIT): Promise<T> {
  const giveUpAt = Date.now() + wait.maxMs;
  for (let delay = wait.firstDelayMs; ; delay = Math.min(delay * 2, wait.maxDelayMs)) {
    try {
      return await work();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + delay > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
