import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { catalogueService } from './catalogue.ts';
import { eligibilityService } from './eligibility.ts';
import { mailService } from './mail.ts';

/** Builds every use case once, from the database handle and the configuration; routes receive this object. */
export function createServices(db: Db, config: Config) {
  return {
    catalogue: catalogueService(db),
    eligibility: eligibilityService(db),
    mail: mailService(db, config),
  };
}

export type Services = ReturnType<typeof createServices>;
