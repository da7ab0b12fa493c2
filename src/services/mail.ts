import type nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import { renderEmail } from '../mail/render.ts';
import { findEmail, latestEmails } from '../repositories/emails.ts';

/** The outbox as seen by people: the development mailbox, and a test message to check the delivery chain. */
export function mailService(db: Db, config: Config) {
  return {
    latest: () => latestEmails(db),
    find: (id: string) => findEmail(db, id),
    async sendTest(env: nunjucks.Environment, to: string): Promise<string> {
      return db.transaction((trx) =>
        enqueueEmail(trx, renderEmail(env, 'test', to, { baseUrl: config.baseUrl.origin, sentAt: new Date() })),
      );
    },
  };
}
