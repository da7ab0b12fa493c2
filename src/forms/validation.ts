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
 * Validates a submitted form: unknown fields (including `_csrf`) are dropped, every error is collected with the
 * field it belongs to, so that the page can show an error summary and inline messages.
 */
export function validateForm<T>(schema: Joi.ObjectSchema<T>, body: unknown): Validated<T> {
  const { value, error } = schema.validate(body ?? {}, {
    abortEarly: false,
    stripUnknown: true,
    convert: true,
    messages: frenchMessages,
    errors: { wrap: { label: false } },
  });
  const errors: FieldError[] = [];
  const fieldErrors: Record<string, string> = {};
  for (const detail of error?.details ?? []) {
    const field = detail.path.join('.');
    if (field in fieldErrors) continue;
    fieldErrors[field] = detail.message;
    errors.push({ field, message: detail.message });
  }
  return { value: value as T, errors, fieldErrors };
}

/** Errors in the order their fields appear in the form (the error summary reads like the form); others keep their place at the end. */
export function inFormOrder(errors: FieldError[], fields: readonly string[]): FieldError[] {
  const rank = (e: FieldError) => (fields.includes(e.field) ? fields.indexOf(e.field) : fields.length);
  return [...errors].sort((a, b) => rank(a) - rank(b));
}
