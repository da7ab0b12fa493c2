import path from 'node:path';
import nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import { accessibilityStatus } from '../domain/accessibility.ts';
import { frenchDate, frenchTime } from '../domain/french-dates.ts';
import { formatPhone } from '../domain/phone.ts';
import { frenchTypography } from '../domain/typography.ts';
import { isGenericMailbox } from '../forms/steps/contacts.ts';

/** The versioned URLs of the stylesheets and scripts (middleware/assets.ts builds them). */
export type AssetUrls = Readonly<{
  dsfrCss: string;
  appCss: string;
  printCss: string;
  htmxJs: string;
  appJs: string;
  favicon: string;
}>;

/** The Nunjucks environments: pages (HTML, autoescaped) and plain-text emails. Used by the views and the mailer. */
export const viewsDir = path.resolve(import.meta.dirname, '../../views');

const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  selfRequestsOnly: true,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '422', swap: true },
    // a refused filter of the instructors' list: the results say why
    { code: '400', swap: true },
    { code: '409', swap: true },
    { code: '[45]..', swap: false, error: true },
  ],
});

export function createViewEnvironment(config: Config, assets: AssetUrls): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(viewsDir, { noCache: config.env === 'development' }),
    {
      autoescape: true,
      throwOnUndefined: false,
    },
  );
  env.addGlobal('serviceName', 'SignUp');
  // The title of a page showing errors starts with it (RGAA 11.10); signup.js takes it off once they are corrected.
  env.addGlobal('errorTitlePrefix', 'Erreur : ');
  env.addGlobal('assets', assets);
  env.addGlobal('htmxConfig', HTMX_CONFIG);
  env.addGlobal('accessibility', accessibilityStatus(config.accessibilityRate));
  env.addGlobal('strictTitles', config.env !== 'production');
  env.addGlobal('genericMailbox', isGenericMailbox);
  env.addGlobal('fail', (message: string) => {
    throw new Error(message);
  });
  addFilters(env);
  return env;
}

function addFilters(env: nunjucks.Environment): void {
  env.addFilter('heure', (value: Date | string | number) => frenchTime(new Date(value)));
  env.addFilter('date', frenchDate);
  env.addFilter('telephone', (value: string) => formatPhone(value));
  // « 12 345 »: numbers as French text (a narrow no-break space between thousands).
  env.addFilter('nombre', (value: number) => new Intl.NumberFormat('fr-FR').format(value));
  // Text that came from elsewhere (démarches simplifiées' dossiers), shown with French typography, stored as it was.
  env.addFilter('typographie', (value: string) => frenchTypography(String(value)));
}

/**
 * Plain-text emails are not HTML: escaping would turn « D’Artagnan & Cie » into entities. This environment only
 * renders `views/emails/*.txt.njk`, whose output is never placed in a page.
 */
export function createTextEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.join(viewsDir, 'emails')), {
    autoescape: false,
  });
  addFilters(env);
  return env;
}
