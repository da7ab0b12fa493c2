import type { Knex } from 'knex';

export type EmailSummary = {
  id: string;
  to: string;
  subject: string;
  status: string;
  attempts: number;
  createdAt: Date;
};
export type EmailDetail = EmailSummary & {
  text: string;
  html: string | null;
  lastError: string | null;
  sentAt: Date | null;
};

const summary = ['id', 'to_address as to', 'subject', 'status', 'attempts', 'created_at as createdAt'];

export async function latestEmails(db: Knex, limit = 50): Promise<EmailSummary[]> {
  return db('emails').orderBy('created_at', 'desc').limit(limit).select(summary);
}

export async function findEmail(db: Knex, id: string): Promise<EmailDetail | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return db('emails')
    .where({ id })
    .first([...summary, 'text_body as text', 'html_body as html', 'last_error as lastError', 'sent_at as sentAt']);
}
