import type { Knex } from 'knex';
import type nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import { renderEmail } from '../mail/render.ts';

/** Renders a template and puts it in the outbox, in the caller's transaction. Links are built from BASE_URL only. */
export type Mailer = (trx: Knex, template: string, to: string, context?: Record<string, unknown>) => Promise<string>;

export function createMailer(config: Config, views: nunjucks.Environment): Mailer {
  const baseUrl = config.baseUrl.origin;
  return (trx, template, to, context = {}) =>
    enqueueEmail(trx, renderEmail(views, template, to, { baseUrl, ...context }));
}
