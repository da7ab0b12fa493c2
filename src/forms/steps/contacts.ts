import Joi from 'joi';
import { checkPhone } from '../../domain/phone.ts';
import { PERSON_NAME, type FieldError } from '../validation.ts';
import type { StepDefinition, StepField } from './types.ts';

/**
 * The four contacts of a request (DPD, data controller, business, technical), five fields each. `of`: the contact
 * in a message (« Saisissez le prénom du ou de la responsable du traitement »), so that every message names its
 * field and its contact.
 */
export const CONTACT_ROLES = [
  {
    key: 'dpo',
    title: 'Délégué ou déléguée à la protection des données (DPD)',
    of: 'du délégué ou de la déléguée à la protection des données',
    hint: 'Cette personne s’assure que votre organisation protège les données personnelles. Elle appartient généralement à votre organisation.',
  },
  {
    key: 'controller',
    title: 'Responsable du traitement',
    of: 'du ou de la responsable du traitement',
    hint: 'Cette personne détermine les finalités et les moyens du traitement ; elle appartient à votre organisation.',
  },
  {
    key: 'business',
    title: 'Interlocuteur ou interlocutrice métier',
    of: 'de l’interlocuteur ou interlocutrice métier',
    hint: 'La personne qui connaît la démarche et l’usage des données.',
  },
  {
    key: 'technical',
    title: 'Interlocuteur ou interlocutrice technique',
    of: 'de l’interlocuteur ou interlocutrice technique',
    hint: 'La personne ou l’équipe qui développe le raccordement à l’API Entreprise.',
  },
] as const;

/** `the`: the field in a message (« le prénom », « l’adresse électronique »). */
export const CONTACT_PARTS = [
  { key: 'GivenName', label: 'Prénom', the: 'le prénom', autocomplete: 'given-name' },
  { key: 'FamilyName', label: 'Nom', the: 'le nom', autocomplete: 'family-name' },
  { key: 'Email', label: 'Adresse électronique', the: 'l’adresse électronique', autocomplete: 'email' },
  { key: 'Phone', label: 'Téléphone', the: 'le numéro de téléphone', autocomplete: 'tel' },
  { key: 'JobTitle', label: 'Fonction', the: 'la fonction', autocomplete: 'organization-title' },
] as const;

type Role = (typeof CONTACT_ROLES)[number];
type Part = (typeof CONTACT_PARTS)[number];

const GENERIC_MAILBOX =
  /^(contact|mairie|accueil|info|infos|secretariat|direction|dpo|dpd|rgpd|support|admin|courrier|standard)@/i;

export function isGenericMailbox(email: unknown): boolean {
  return typeof email === 'string' && GENERIC_MAILBOX.test(email.trim());
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function partSchema(part: Part, role: Role): Joi.Schema {
  const missing = `Saisissez ${part.the} ${role.of}`;
  const required = (example = '') => ({ 'string.empty': missing + example, 'any.required': missing + example });
  switch (part.key) {
    case 'Email':
      return Joi.string()
        .trim()
        .max(254)
        .email({ tlds: false })
        .required()
        .messages({
          ...required(', par exemple prenom.nom@mairie-exemple.fr'),
          'string.email': `L’adresse électronique ${role.of} n’est pas valide : écrivez-la comme prenom.nom@mairie-exemple.fr`,
          'string.max': `L’adresse électronique ${role.of} ne doit pas dépasser 254 caractères`,
        });
    case 'Phone':
      return Joi.string()
        .trim()
        .max(30)
        .required()
        .custom((value: string, helpers) => {
          const check = checkPhone(value, role.of);
          return check.ok ? check.e164 : helpers.message({ custom: check.message });
        })
        .messages({
          ...required(', par exemple 01 23 45 67 89'),
          'string.max': `Le numéro de téléphone ${role.of} ne doit pas dépasser 30 caractères`,
        });
    case 'GivenName':
    case 'FamilyName':
      return Joi.string()
        .trim()
        .max(100)
        .required()
        .pattern(PERSON_NAME)
        .messages({
          ...required(),
          'string.max': `${capitalised(part.the)} ${role.of} ne doit pas dépasser 100 caractères`,
          'string.pattern.base': `${capitalised(part.the)} ${role.of} ne peut contenir que des lettres, des espaces, des apostrophes, des points et des traits d’union`,
        });
    default:
      return Joi.string()
        .trim()
        .max(100)
        .required()
        .messages({
          ...required(),
          'string.max': `${capitalised(part.the)} ${role.of} ne doit pas dépasser 100 caractères`,
        });
  }
}

const fieldName = (role: Role, part: Part) => `${role.key}${part.key}`;

const fields: StepField[] = CONTACT_ROLES.flatMap((role) =>
  CONTACT_PARTS.map((part) => ({ name: fieldName(role, part), label: `${role.title} : ${part.label.toLowerCase()}` })),
);

/**
 * A contact left entirely empty is one entry of the error summary (« Renseignez les coordonnées du … »), not five;
 * each of its fields still says what it lacks. An empty step lists four entries, one per contact.
 */
function summariseErrors(errors: FieldError[], values: Record<string, unknown>): FieldError[] {
  const empty = (name: string) => String(values[name] ?? '').trim() === '';
  const blank = new Set(
    CONTACT_ROLES.filter((role) => CONTACT_PARTS.every((part) => empty(fieldName(role, part)))).map((role) => role.key),
  );
  const summary: FieldError[] = [];
  for (const error of errors) {
    const role = CONTACT_ROLES.find(
      (r) => blank.has(r.key) && CONTACT_PARTS.some((part) => fieldName(r, part) === error.field),
    );
    if (!role) summary.push(error);
    else if (error.field === fieldName(role, CONTACT_PARTS[0]))
      summary.push({
        field: error.field,
        message: `Renseignez les coordonnées ${role.of} : prénom, nom, adresse électronique, téléphone et fonction`,
        covers: CONTACT_PARTS.map((part) => fieldName(role, part)),
      });
  }
  return summary;
}

export const contacts: StepDefinition = {
  slug: 'contacts',
  title: 'Contacts',
  answersLayout: 'contact-blocks',
  fields,
  schema: Joi.object(
    Object.fromEntries(
      CONTACT_ROLES.flatMap((role) => CONTACT_PARTS.map((part) => [fieldName(role, part), partSchema(part, role)])),
    ),
  ),
  summariseErrors,
};

/** The contacts' addresses a request names (each once, in the order of the roles): who hears of a revocation. */
export function contactEmails(answers: Record<string, Record<string, unknown>>): string[] {
  const step = answers[contacts.slug] ?? {};
  const email = CONTACT_PARTS.find((part) => part.key === 'Email')!;
  const emails = CONTACT_ROLES.map((role) => step[fieldName(role, email)])
    .filter((v): v is string => typeof v === 'string' && v.includes('@'))
    .map((v) => v.trim().toLowerCase());
  return [...new Set(emails)];
}

export type ContactRole = Role['key'];
export type RequestContact = { role: ContactRole; givenName: string; familyName: string; email: string };

/** The contacts a request names, with an address, in the order of the roles: who gets access on approval. */
export function requestContacts(answers: Record<string, Record<string, unknown>>): RequestContact[] {
  const step = answers[contacts.slug] ?? {};
  const text = (role: Role, key: Part['key']) => {
    const value = step[`${role.key}${key}`];
    return typeof value === 'string' ? value.trim() : '';
  };
  return CONTACT_ROLES.map((role) => ({
    role: role.key,
    givenName: text(role, 'GivenName'),
    familyName: text(role, 'FamilyName'),
    email: text(role, 'Email').toLowerCase(),
  })).filter((contact) => contact.email.includes('@'));
}
