import Joi from 'joi';
import { checkPhone } from '../domain/phone.ts';
import { siretField } from './eligibility.ts';
import { multiline, PERSON_NAME, secret } from './validation.ts';

const name = (label: string, example: string) =>
  Joi.string()
    .trim()
    .max(100)
    .required()
    .pattern(PERSON_NAME)
    .messages({
      'string.empty': `Saisissez votre ${label}, par exemple ${example}`,
      'any.required': `Saisissez votre ${label}, par exemple ${example}`,
      'string.max': `Votre ${label} ne doit pas dépasser 100 caractères`,
      'string.pattern.base': `Votre ${label} ne peut contenir que des lettres, des espaces, des apostrophes, des points et des traits d’union, par exemple ${example}`,
    });

export const emailField = Joi.string().trim().max(254).email({ tlds: false }).required().messages({
  'string.empty': 'Saisissez votre adresse électronique professionnelle, par exemple prenom.nom@mairie-exemple.fr',
  'any.required': 'Saisissez votre adresse électronique professionnelle, par exemple prenom.nom@mairie-exemple.fr',
  'string.email': 'Saisissez une adresse électronique valide, par exemple prenom.nom@mairie-exemple.fr',
  'string.max': 'L’adresse électronique ne doit pas dépasser 254 caractères',
});

/** The password is checked against the policy by the service; here only presence and a hard ceiling. */
const passwordField = Joi.string()
  .allow('')
  .max(1000)
  .default('')
  .meta(secret)
  .messages({ 'string.max': 'Le mot de passe ne doit pas dépasser 128 caractères' });

export type SignUpForm = {
  givenName: string;
  familyName: string;
  email: string;
  password: string;
  siret: string;
  confirmation?: string;
  mission?: string;
  justification?: string;
};

export const signUpSchema = Joi.object<SignUpForm>({
  givenName: name('prénom', 'Marie'),
  familyName: name('nom', 'Durand'),
  email: emailField,
  password: passwordField,
  siret: siretField,
  confirmation: Joi.string().valid('oui').optional(),
  mission: Joi.string().valid('oui').optional(),
  justification: Joi.string()
    .trim()
    .allow('')
    .max(2000)
    .optional()
    .meta(multiline)
    .messages({ 'string.max': 'La justification ne doit pas dépasser 2 000 caractères' }),
});

export type SignInForm = { email: string; password: string };
export const signInSchema = Joi.object<SignInForm>({
  email: emailField,
  password: Joi.string()
    .max(1000)
    .required()
    .meta(secret)
    .messages({ 'string.empty': 'Saisissez votre mot de passe', 'any.required': 'Saisissez votre mot de passe' }),
});

export const emailOnlySchema = Joi.object<{ email: string }>({ email: emailField });

export type NewPasswordForm = { password: string };
export const newPasswordSchema = Joi.object<NewPasswordForm>({ password: passwordField });

/** A contact's invitation: the terms accepted (`oui`) and a password (the page's username field is for password managers). */
export type InvitationForm = { cgu?: string; password: string };
export const invitationSchema = Joi.object<InvitationForm>({
  cgu: Joi.string().valid('oui'),
  password: passwordField,
});

export type PasswordChangeForm = { current: string; password: string };
export const passwordChangeSchema = Joi.object<PasswordChangeForm>({
  current: Joi.string().max(1000).required().meta(secret).messages({
    'string.empty': 'Saisissez votre mot de passe actuel',
    'any.required': 'Saisissez votre mot de passe actuel',
  }),
  password: passwordField,
});

export const IDLE_CHOICES = [30, 120, 300] as const;

export type ProfileForm = { givenName: string; familyName: string; jobTitle: string; phone: string; idle: number };
export const profileSchema = Joi.object<ProfileForm>({
  givenName: name('prénom', 'Marie'),
  familyName: name('nom', 'Durand'),
  jobTitle: Joi.string()
    .trim()
    .allow('')
    .max(100)
    .default('')
    .messages({ 'string.max': 'L’intitulé de poste ne doit pas dépasser 100 caractères' }),
  phone: Joi.string()
    .trim()
    .allow('')
    .max(30)
    .default('')
    .custom((value: string, helpers) => {
      if (value === '') return '';
      const check = checkPhone(value);
      return check.ok ? check.e164 : helpers.message({ custom: check.message });
    })
    .messages({ 'string.max': 'Le numéro de téléphone est trop long, par exemple 01 23 45 67 89' }),
  idle: Joi.number()
    .valid(...IDLE_CHOICES)
    .required()
    .messages({
      'any.only': 'Choisissez une durée proposée',
      'number.base': 'Choisissez une durée proposée',
      'any.required': 'Choisissez une durée proposée',
    }),
});
