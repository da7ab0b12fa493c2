import Joi from 'joi';
import { checkSiret, siretMessage } from '../domain/siret.ts';

export type EligibilityForm = { siret: string };

const emptySiret = siretMessage({ ok: false, siret: '', problem: 'empty' });

/** The SIRET field, normalised (spaces and dots removed) and checked (14 digits, Luhn, La Poste). */
export const siretField = Joi.string()
  .max(40)
  .required()
  .custom((value: string, helpers) => {
    const check = checkSiret(value);
    return check.ok ? check.siret : helpers.message({ custom: siretMessage(check) });
  })
  .messages({
    'string.max': 'Le SIRET doit contenir 14 chiffres, par exemple 13002526500013',
    'string.empty': emptySiret,
    'any.required': emptySiret,
    'string.base': emptySiret,
  });

export const eligibilitySchema = Joi.object<EligibilityForm>({ siret: siretField });
