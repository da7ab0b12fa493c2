/**
 * Reusable texts of decisions, with variables: what admins write once and instructors start from on a decision's
 * page. Pure: the variables, filling them in, checking a template as typed.
 */
import { DECISION_KINDS, DECISIONS, REASON_MAX_LENGTH, type DecisionKind } from './decisions.ts';

export const TEMPLATE_VARIABLES = {
  numero: 'le numéro de la demande',
  titre: 'son intitulé',
  organisation: 'le nom de l’organisation',
  lien: 'l’adresse de la demande, pour le demandeur',
} as const;
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;

const VARIABLE = /\{([a-z_]+)\}/g;

/** The text with each `{variable}` replaced by its value; anything else left as it is. */
export function fillTemplate(body: string, values: Record<TemplateVariable, string>): string {
  return body.replace(VARIABLE, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as TemplateVariable] : whole,
  );
}

export type TemplateInput = { kind: DecisionKind; title: string; body: string };
export type TemplateProblem = { field: 'genre' | 'intitule' | 'texte'; message: string };

const text = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '');

/** A template as typed on the admin page, checked: its decision, a title, a text whose variables all exist. */
export function parseTemplate(body: Record<string, unknown>): { input: TemplateInput; problems: TemplateProblem[] } {
  const kind = DECISION_KINDS.find((k) => k === body.genre);
  const input = { kind: kind ?? 'refuser', title: text(body.intitule), body: text(body.texte) };
  const problems: TemplateProblem[] = [];
  if (!kind) problems.push({ field: 'genre', message: 'Choisissez la décision à laquelle sert ce modèle' });
  if (input.title === '')
    problems.push({
      field: 'intitule',
      message: 'Donnez un intitulé au modèle, par exemple « Cadre juridique manquant »',
    });
  else if (input.title.length > 200)
    problems.push({ field: 'intitule', message: 'L’intitulé doit compter 200 caractères au plus' });
  if (input.body === '') problems.push({ field: 'texte', message: 'Écrivez le texte du modèle' });
  else if (input.body.length > REASON_MAX_LENGTH)
    problems.push({ field: 'texte', message: `Le texte doit compter ${REASON_MAX_LENGTH} caractères au plus` });
  const unknown = [...input.body.matchAll(VARIABLE)]
    .map((m) => m[1]!)
    .filter((name) => !Object.hasOwn(TEMPLATE_VARIABLES, name));
  if (unknown.length)
    problems.push({
      field: 'texte',
      message: `Variable inconnue : ${[...new Set(unknown)].map((n) => `{${n}}`).join(', ')}. Variables possibles : ${Object.keys(
        TEMPLATE_VARIABLES,
      )
        .map((n) => `{${n}}`)
        .join(', ')}`,
    });
  return { input, problems };
}

export const KIND_LABELS: Record<DecisionKind, string> = Object.fromEntries(
  DECISION_KINDS.map((kind) => [kind, DECISIONS[kind].title]),
) as Record<DecisionKind, string>;
