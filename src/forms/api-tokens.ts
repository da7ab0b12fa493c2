import Joi from 'joi';
import { MAX_OVERLAP_DAYS } from '../domain/api-tokens.ts';

export type NewTokenForm = { habilitation: string; nom: string };

/** A new token: which authorization, and a name that says where it is used. */
export const newTokenSchema = Joi.object<NewTokenForm>({
  habilitation: Joi.string()
    .pattern(/^\d{1,18}$/)
    .required()
    .messages({
      'any.required': 'Choisissez l’habilitation du jeton',
      'string.empty': 'Choisissez l’habilitation du jeton',
      'string.pattern.base': 'Choisissez l’habilitation du jeton dans la liste',
    }),
  nom: Joi.string().trim().min(1).max(100).required().messages({
    'any.required': 'Donnez un nom au jeton, par exemple «\u202fProduction – portail des aides\u202f»',
    'string.empty': 'Donnez un nom au jeton, par exemple «\u202fProduction – portail des aides\u202f»',
    'string.max': 'Le nom du jeton ne doit pas dépasser 100 caractères',
  }),
});

export type RenewTokenForm = { recouvrement: number };

/** How many days the old token keeps working beside the new one. */
export const renewTokenSchema = Joi.object<RenewTokenForm>({
  recouvrement: Joi.number()
    .integer()
    .min(0)
    .max(MAX_OVERLAP_DAYS)
    .required()
    .messages({
      'any.required': `Indiquez pendant combien de jours l’ancien jeton fonctionne encore, de 0 à ${MAX_OVERLAP_DAYS}`,
      'number.base': `Indiquez un nombre de jours, de 0 à ${MAX_OVERLAP_DAYS}, par exemple 7`,
      'number.integer': `Indiquez un nombre entier de jours, de 0 à ${MAX_OVERLAP_DAYS}`,
      'number.min': `Indiquez un nombre de jours, de 0 à ${MAX_OVERLAP_DAYS}`,
      'number.max': `L’ancien jeton peut fonctionner encore ${MAX_OVERLAP_DAYS} jours au plus`,
    }),
});
