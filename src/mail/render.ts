import type nunjucks from 'nunjucks';
import type { OutgoingEmail } from './outbox.ts';

/**
 * Builds an email from `views/emails/<template>.txt.njk` and `.html.njk`. Templates are autoescaped; the subject
 * comes from the text template's first line ("Objet : ...").
 */
export function renderEmail(
  env: nunjucks.Environment,
  template: string,
  to: string,
  context: Record<string, unknown>,
): OutgoingEmail {
  const rendered = env.render(`emails/${template}.txt.njk`, context);
  const [firstLine = '', ...rest] = rendered.split('\n');
  const subject = firstLine.replace(/^Objet : /, '');
  return {
    to,
    subject,
    text: rest.join('\n').trim() + '\n',
    html: env.render(`emails/${template}.html.njk`, { ...context, subject }),
    template,
  };
}
