import Joi from 'joi';
import { checkPhone } from '../../domain/phone.ts';
import type { StepDefinition, StepField } from './index.ts';

/** The four contacts of a request (DPD, data controller, business, technical), five fields each. */
export const CONTACT_ROLES = [
  { key: 'dpo', title: 'Délégué à la protection des données (DPD)', hint: 'Il s’assure que votre organisation protège les données personnelles. Il appartient généralement à votre organisation.' },
  { key: 'controller', title: 'Responsable du traitement', hint: 'Il détermine les finalités et les moyens du traitement ; il appartient à votre organisation.' },
  { key: 'business', title: 'Interlocuteur métier', hint: 'La personne qui connaît la démarche et l’usage des données.' },
  { key: 'technical', title: 'Interlocuteur technique', hint: 'La personne ou l’équipe qui développe le raccordement à l’API Entreprise.' },
] as const;

export const CONTACT_PARTS = [
  { key: 'GivenName', label: 'Prénom', autocomplete: 'given-name' },
  { key: 'FamilyName', label: 'Nom', autocomplete: 'family-name' },
  { key: 'Email', label: 'Adresse électronique', autocomplete: 'email' },
  { key: 'Phone', label: 'Téléphone', autocomplete: 'tel' },
  { key: 'JobTitle', label: 'Fonction', autocomplete: 'organization-title' },
] as const;

const GENERIC_MAILBOX = /^(contact|mairie|accueil|info|infos|secretariat|direction|dpo|dpd|rgpd|support|admin|courrier|standard)@/i;

export function isGenericMailbox(email: unknown): boolean {
  return typeof email === 'string' && GENERIC_MAILBOX.test(email.trim());
}

function partSchema(part: (typeof CONTACT_PARTS)[number]['key'], who: string): Joi.Schema {
  const required = (message: string) => ({ 'string.empty': message, 'any.required': message });
  switch (part) {
    case 'Email':
      return Joi.string().trim().max(254).email({ tlds: false }).required().messages({ ...required(`Saisissez l’adresse électronique du ${who}, par exemple prenom.nom@mairie-exemple.fr`), 'string.email': 'Saisissez une adresse électronique valide, par exemple prenom.nom@mairie-exemple.fr' });
    case 'Phone':
      return Joi.string().trim().max(30).required().custom((value: string, helpers) => {
        const check = checkPhone(value);
        return check.ok ? check.e164 : helpers.message({ custom: check.message });
      }).messages(required(`Saisissez le téléphone du ${who}, par exemple 01 23 45 67 89`));
    default:
      return Joi.string().trim().max(100).required().messages({ ...required(`Saisissez ce champ pour le ${who}`), 'string.max': 'Ce champ ne doit pas dépasser 100 caractères' });
  }
}

const fields: StepField[] = CONTACT_ROLES.flatMap((role) => CONTACT_PARTS.map((part) => ({ name: `${role.key}${part.key}`, label: `${role.title} : ${part.label.toLowerCase()}` })));

export const contacts: StepDefinition = {
  slug: 'contacts',
  title: 'Contacts',
  fields,
  schema: Joi.object(Object.fromEntries(CONTACT_ROLES.flatMap((role) => CONTACT_PARTS.map((part) => [`${role.key}${part.key}`, partSchema(part.key, role.title.split(' (')[0]!.toLowerCase())])))),
};
