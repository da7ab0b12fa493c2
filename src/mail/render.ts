import type nunjucks from 'nunjucks';
import { createTextEnvironment } from '../rendering/nunjucks.ts';
import type { OutgoingEmail } from './outbox.ts';

let textEnv: nunjucks.Environment | undefined;
const URL_LINE = /^https?:\/\/\S+$/;
const BREAKS = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * What people typed (names, titles, justifications), made safe for a text email: on one line, without control
 * characters, so that a value can neither add lines of its own to the message (a fake « Connectez-vous ici : » line
 * with a link) nor carry the subject past its first line. Dates and numbers are left as they are.
 */
export function flattened(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(BREAKS, ' ');
  if (Array.isArray(value)) return value.map(flattened);
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, flattened(v)]));
  return value;
}

/**
 * The HTML part: `emails/<template>.html.njk` when it exists, otherwise the text laid out in paragraphs (escaped).
 * Only the service's own addresses become links; any other address stays text.
 */
function htmlBody(env: nunjucks.Environment, template: string, text: string, context: Record<string, unknown>): string {
  try {
    return env.render(`emails/${template}.html.njk`, context);
  } catch (error) {
    if (!/template not found/i.test(String(error))) throw error;
  }
  const own = typeof context.baseUrl === 'string' ? `${context.baseUrl.replace(/\/$/, '')}/` : undefined;
  const isOwnLink = (line: string) =>
    URL_LINE.test(line) && own !== undefined && (line === own.slice(0, -1) || line.startsWith(own));
  const paragraphs = text
    .trim()
    .split(/\n{2,}/)
    .map((block) => block.split('\n').map((line) => ({ line, url: isOwnLink(line.trim()) })));
  return env.render('emails/_generique.html.njk', { ...context, paragraphs });
}

/**
 * Builds an email from `views/emails/<template>.txt.njk` (first line "Objet : …" is the subject) and its HTML part.
 */
export function renderEmail(
  env: nunjucks.Environment,
  template: string,
  to: string,
  context: Record<string, unknown>,
): OutgoingEmail {
  textEnv ??= createTextEnvironment();
  const safe = flattened(context) as Record<string, unknown>;
  const rendered = textEnv.render(`${template}.txt.njk`, safe);
  const [firstLine = '', ...rest] = rendered.split('\n');
  const subject = firstLine.replace(/^Objet\s*:\s*/, '').trim();
  const text = rest.join('\n').trim() + '\n';
  return { to, subject, text, html: htmlBody(env, template, text, { ...safe, subject }), template };
}
