import type Joi from 'joi';

/** `covers`: the fields an entry of the error summary stands for, when it stands for several (a whole contact). */
export type FieldError = { field: string; message: string; covers?: string[] };
export type Validated<T> = { value: T; errors: FieldError[]; fieldErrors: Record<string, string> };

/** French defaults; schemas give their own field-specific messages, with an example, on top of these. */
export const frenchMessages: Joi.LanguageMessages = {
  'any.required': 'Ce champ est obligatoire',
  'string.empty': 'Ce champ est obligatoire',
  'string.base': 'Ce champ doit être un texte',
  'string.max': 'Ce champ ne doit pas dépasser {#limit} caractères',
  'string.min': 'Ce champ doit contenir au moins {#limit} caractères',
  'string.email': 'Saisissez une adresse électronique valide, par exemple prenom.nom@mairie-exemple.fr',
  'number.base': 'Saisissez un nombre, par exemple 12',
  'any.only': 'Choisissez une des options proposées',
  'object.unknown': 'Ce champ n’est pas attendu',
};

/**
 * How a form field takes text: `line` (the default: one line, no control character at all), `multiline` (a textarea:
 * line breaks and tabs kept, other control characters such as NUL dropped), `secret` (a password: taken as typed).
 * Declared on a field's schema with `.meta({ text: 'multiline' })`.
 */
export type TextKind = 'line' | 'multiline' | 'secret';
export const multiline = { text: 'multiline' } as const;
export const secret = { text: 'secret' } as const;

/**
 * A person's name: letters (any script, with their accents), spaces, apostrophes, dots and hyphens. Nothing else has
 * a place in a name, and nothing else can turn it into something else where it is shown (an address a mail client
 * makes a link of, in the « Bonjour … » of an email sent to someone who did not ask for it).
 */
export const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;

export const CONTROL_MESSAGE =
  'Ce champ tient sur une ligne : il ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle (caractère nul…)';
const ANY_CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LINES = /(?![\t\n\r])\p{Cc}/gu;

const textKinds = new WeakMap<Joi.ObjectSchema, Map<string, TextKind>>();
function textKindsOf(schema: Joi.ObjectSchema): Map<string, TextKind> {
  let kinds = textKinds.get(schema);
  if (!kinds) {
    const keys = (schema.describe() as { keys?: Record<string, { metas?: { text?: TextKind }[] }> }).keys ?? {};
    kinds = new Map(
      Object.entries(keys).map(([key, field]) => [key, field.metas?.find((m) => m.text)?.text ?? 'line']),
    );
    textKinds.set(schema, kinds);
  }
  return kinds;
}

/**
 * Control characters, before the schema: a one-line field that holds one (a newline, NUL…) is refused with a message
 * that says which characters are not allowed; a multi-line one loses all but its line breaks and tabs.
 */
function screenControls(
  schema: Joi.ObjectSchema,
  body: Record<string, unknown>,
): { body: Record<string, unknown>; errors: FieldError[] } {
  const screened: Record<string, unknown> = { ...body };
  const errors: FieldError[] = [];
  for (const [key, kind] of textKindsOf(schema)) {
    const value = body[key];
    if (typeof value !== 'string' || kind === 'secret') continue;
    if (kind === 'multiline') screened[key] = value.replace(CONTROL_BUT_LINES, '');
    else if (ANY_CONTROL.test(value)) {
      errors.push({ field: key, message: CONTROL_MESSAGE });
      delete screened[key];
    }
  }
  return { body: screened, errors };
}

/**
 * Validates a submitted form: unknown fields (including `_csrf`) are dropped, control characters screened (see
 * `TextKind`), every error is collected with the field it belongs to, so that the page can show an error summary
 * and inline messages. Anything that is not a form (no body, an array, a string) counts as an empty form.
 */
export function validateForm<T>(schema: Joi.ObjectSchema<T>, body: unknown): Validated<T> {
  const form = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const screened = screenControls(schema as Joi.ObjectSchema, form);
  const { value, error } = schema.validate(screened.body, {
    abortEarly: false,
    stripUnknown: true,
    convert: true,
    messages: frenchMessages,
    errors: { wrap: { label: false } },
  });
  const errors: FieldError[] = [];
  const fieldErrors: Record<string, string> = {};
  for (const control of screened.errors) {
    fieldErrors[control.field] = control.message;
    errors.push(control);
  }
  for (const detail of error?.details ?? []) {
    const field = detail.path.join('.');
    if (field in fieldErrors) continue;
    fieldErrors[field] = detail.message;
    errors.push({ field, message: detail.message });
  }
  // A field that failed is left out of the value: nothing downstream meets, say, an array where a text was due.
  const kept =
    value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key]) => !(key in fieldErrors)))
      : value;
  return { value: kept as T, errors, fieldErrors };
}

/** Errors in the order their fields appear in the form (the error summary reads like the form); others keep their place at the end. */
export function inFormOrder(errors: FieldError[], fields: readonly string[]): FieldError[] {
  const rank = (e: FieldError) => (fields.includes(e.field) ? fields.indexOf(e.field) : fields.length);
  return [...errors].sort((a, b) => rank(a) - rank(b));
}
