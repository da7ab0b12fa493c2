import type nunjucks from 'nunjucks';
import { createTextEnvironment } from '../middleware/views.ts';
import type { OutgoingEmail } from './outbox.ts';

let textEnv: nunjucks.Environment | undefined;
const URL_LINE = /^https?:\/\/\S+$/;

/** The HTML part: `emails/<template>.html.njk` when it exists, otherwise the text laid out in paragraphs (escaped). */
function htmlBody(env: nunjucks.Environment, template: string, text: string, context: Record<string, unknown>): string {
  try {
    return env.render(`emails/${template}.html.njk`, context);
  } catch (error) {
    if (!/template not found/i.test(String(error))) throw error;
  }
  const paragraphs = text.trim().split(/\n{2,}/).map((block) => block.split('\n').map((line) => ({ line, url: URL_LINE.test(line.trim()) })));
  return env.render('emails/_generique.html.njk', { ...context, paragraphs });
}

/**
 * Builds an email from `views/emails/<template>.txt.njk` (first line "Objet : …" is the subject) and its HTML part.
 */
export function renderEmail(env: nunjucks.Environment, template: string, to: string, context: Record<string, unknown>): OutgoingEmail {
  textEnv ??= createTextEnvironment();
  const rendered = textEnv.render(`${template}.txt.njk`, context);
  const [firstLine = '', ...rest] = rendered.split('\n');
  const subject = firstLine.replace(/^Objet\s*:\s*/, '').trim();
  const text = rest.join('\n').trim() + '\n';
  return { to, subject, text, html: htmlBody(env, template, text, { ...context, subject }), template };
}
