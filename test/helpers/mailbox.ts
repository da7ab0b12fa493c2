import type { Db } from '../../src/db/knex.ts';

export type StoredEmail = { id: string; to: string; subject: string; text: string; template: string };

/** Emails queued in the outbox for an address, oldest first. */
export async function emailsTo(db: Db, address: string): Promise<StoredEmail[]> {
  return db('emails')
    .whereRaw('lower(to_address) = lower(?)', [address])
    .orderBy('created_at')
    .select('id', 'to_address as to', 'subject', 'text_body as text', 'template');
}

/** The path (with its query) of the first link to this service in the latest email of `template` sent to `address`. */
export async function linkIn(db: Db, address: string, template: string): Promise<string> {
  const mail = (await emailsTo(db, address)).filter((m) => m.template === template).at(-1);
  if (!mail) throw new Error(`Aucun courriel « ${template} » pour ${address}`);
  const match = /https?:\/\/[^/\s]+(\/[^\s]*jeton=[^\s]+)/.exec(mail.text);
  if (!match) throw new Error(`Pas de lien dans le courriel « ${template} »`);
  return match[1] as string;
}
