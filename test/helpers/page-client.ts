import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

export type Page = {
  status: number;
  headers: Record<string, string>;
  html: string;
  $: cheerio.CheerioAPI;
  location?: string;
};

/**
 * A test client that behaves like a browser without JavaScript: it keeps cookies, reads the CSRF token and the
 * other fields of a form on the last page it fetched, and submits the form as a browser would.
 */
export class PageClient {
  readonly agent: InstanceType<typeof TestAgent>;
  last?: Page;

  constructor(app: Express | string) {
    this.agent = request.agent(app);
  }

  private toPage(res: request.Response): Page {
    const html = res.text ?? '';
    const page: Page = {
      status: res.status,
      headers: res.headers as Record<string, string>,
      html,
      $: cheerio.load(html),
      location: res.headers.location as string | undefined,
    };
    if ((res.headers['content-type'] ?? '').includes('text/html')) this.last = page;
    return page;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.toPage(await this.agent.get(path).set(headers));
  }

  /** The fields a browser would send for the form matched by `selector` (hidden inputs and current values). */
  formFields(selector = 'main form'): { action: string; fields: Record<string, string> } {
    if (!this.last) throw new Error('Aucune page chargée');
    const $ = this.last.$;
    const form = $(selector).first();
    if (form.length === 0) throw new Error(`Formulaire introuvable : ${selector}`);
    const fields: Record<string, string> = {};
    form.find('input[name], textarea[name], select[name]').each((_i, el) => {
      const field = $(el);
      const type = field.attr('type');
      const name = field.attr('name') as string;
      if (type === 'submit' || type === 'file') return;
      if ((type === 'checkbox' || type === 'radio') && field.attr('checked') === undefined) return;
      fields[name] =
        el.tagName === 'textarea'
          ? field.text()
          : el.tagName === 'select'
            ? String(field.find('option[selected]').attr('value') ?? '')
            : String(field.attr('value') ?? '');
    });
    return { action: form.attr('action') ?? '', fields };
  }

  /** Submits a form of the last page with `values` typed in, like pressing its submit button. */
  async submit(
    values: Record<string, string>,
    options: { selector?: string; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const { action, fields } = this.formFields(options.selector);
    return this.post(action, { ...fields, ...values }, options.headers);
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.toPage(await this.agent.post(path).type('form').set(headers).send(form));
  }

  /** The CSRF token of the last page (from its first form). */
  csrfToken(): string {
    const token = this.last?.$('input[name="_csrf"]').attr('value');
    if (!token) throw new Error('Pas de jeton CSRF sur la dernière page');
    return token;
  }
}

/** Ids targeted by the error summary links, which must exist on the page. */
export function errorSummaryTargets(page: Page): { href: string; exists: boolean }[] {
  return page
    .$('#resume-erreurs a')
    .toArray()
    .map((a) => {
      const href = page.$(a).attr('href') ?? '';
      return { href, exists: page.$(href).length === 1 };
    });
}

/** The text of each cell of each body row of the tables in `scope`, row by row. */
export function bodyCells(page: Page, scope: ReturnType<Page['$']>): string[][] {
  return scope
    .find('tbody tr')
    .toArray()
    .map((tr) =>
      page
        .$(tr)
        .children()
        .toArray()
        .map((cell) => page.$(cell).text().trim()),
    );
}
