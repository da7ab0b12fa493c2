import Joi from 'joi';
import { checkCalendarDate } from '../../domain/calendar-date.ts';
import { multiline } from '../validation.ts';
import { contacts } from './contacts.ts';
import type { StepDefinition } from './types.ts';

export type { StepDefinition, StepField, StepRuleKind } from './types.ts';

/**
 * The request wizard as data: one definition per step (URL slug, title, fields, strict schema for « Continuer »).
 * The lenient schema used by « Enregistrer le brouillon » is derived: every field optional, same limits.
 */
/**
 * The boxes of a step's list fields as they were posted (or stashed), under the view variable that ticks them again:
 * a page shown back shows what the person had ticked, not what is stored.
 */
export function postedLists(step: StepDefinition, posted: Record<string, unknown>): Record<string, string[]> {
  return Object.fromEntries(
    step.fields
      .filter((f) => f.list)
      .map((f) => [
        f.list!.checkedAs,
        ([] as string[]).concat((posted[f.name] as string | string[] | undefined) ?? []),
      ]),
  );
}

/** One of `values`, with the same French message whatever is wrong (missing, empty or unknown). */
const choice = (message: string, ...values: string[]) =>
  Joi.string()
    .valid(...values)
    .required()
    .messages({ 'any.required': message, 'any.only': message, 'string.empty': message });

const text = (max: number, empty: string) =>
  Joi.string()
    .trim()
    .max(max)
    .required()
    .messages({
      'string.empty': empty,
      'any.required': empty,
      'string.max': `Ce texte ne doit pas dépasser ${max} caractères`,
    });

const demarche: StepDefinition = {
  slug: 'demarche',
  title: 'Votre démarche',
  titleField: 'title',
  fields: [
    { name: 'title', label: 'Intitulé de la démarche' },
    { name: 'description', label: 'Description' },
    { name: 'goLiveDate', label: 'Date de mise en service prévue' },
    {
      name: 'volume',
      label: 'Volume attendu',
      choices: {
        faible: 'Moins de 1 000 appels par jour',
        moyen: 'De 1 000 à 10 000 appels par jour',
        fort: 'Plus de 10 000 appels par jour',
      },
    },
  ],
  schema: Joi.object({
    title: text(
      200,
      'Donnez un intitulé à votre démarche, par exemple « Instruction des aides au commerce de proximité »',
    ),
    description: text(
      5000,
      'Décrivez votre démarche : qui l’utilise, pour quoi faire, et à quoi serviront les données',
    ).meta(multiline),
    goLiveDate: Joi.string()
      .trim()
      .max(20)
      .required()
      .custom((value: string, helpers) => {
        const check = checkCalendarDate(value);
        return check.ok ? check.iso : helpers.error(`date.${check.reason}`);
      })
      .messages({
        'string.empty': 'Indiquez la date de mise en service prévue, par exemple 01/03/2027',
        'any.required': 'Indiquez la date de mise en service prévue, par exemple 01/03/2027',
        'string.max': 'Écrivez la date au format JJ/MM/AAAA, par exemple 01/03/2027',
        'date.format': 'Écrivez la date au format JJ/MM/AAAA, par exemple 01/03/2027',
        'date.calendar': 'Cette date n’existe pas : vérifiez le jour et le mois, par exemple 01/03/2027',
      }),
    volume: choice('Choisissez le volume d’appels attendu', 'faible', 'moyen', 'fort'),
  }),
};

const donneesPersonnelles: StepDefinition = {
  slug: 'donnees-personnelles',
  title: 'Données personnelles',
  fields: [
    { name: 'recipients', label: 'Destinataires des données' },
    { name: 'retentionMonths', label: 'Durée de conservation (mois)' },
    { name: 'retentionJustification', label: 'Justification de la durée' },
  ],
  schema: Joi.object({
    recipients: text(
      2000,
      'Indiquez qui recevra les données, par exemple « les agents instructeurs du service des aides »',
    ).meta(multiline),
    retentionMonths: Joi.number().integer().min(1).max(240).required().messages({
      'number.base': 'Indiquez la durée de conservation en mois, par exemple 36',
      'any.required': 'Indiquez la durée de conservation en mois, par exemple 36',
      'number.min': 'La durée de conservation est d’au moins 1 mois',
      'number.max': 'La durée de conservation ne peut pas dépasser 240 mois',
      'number.integer': 'Indiquez un nombre entier de mois, par exemple 36',
    }),
    retentionJustification: Joi.when('retentionMonths', {
      is: Joi.number().greater(36).required(),
      then: text(2000, 'Au-delà de 36 mois, justifiez la durée de conservation, par exemple par le texte qui l’impose'),
      otherwise: Joi.string().trim().allow('').max(2000),
    }).meta(multiline),
  }),
};

const donnees: StepDefinition = {
  slug: 'donnees',
  title: 'Données',
  fields: [{ name: 'scopes', label: 'Données demandées', list: { checkedAs: 'checkedScopes' } }],
  rules: 'scopes',
  // « At least one » depends on the use case (the scopes it locks count, disabled boxes are never sent): services/step-rules.
  schema: Joi.object({ scopes: Joi.array().items(Joi.string().allow('').max(100)).single() }),
};

const cadreJuridique: StepDefinition = {
  slug: 'cadre-juridique',
  title: 'Cadre juridique',
  rules: 'legal-text',
  fields: [
    {
      name: 'nature',
      label: 'Nature du texte',
      choices: {
        loi: 'Loi',
        decret: 'Décret',
        arrete: 'Arrêté',
        deliberation: 'Délibération',
        convention: 'Convention',
        autre: 'Autre',
      },
    },
    { name: 'reference', label: 'Référence du texte' },
    { name: 'url', label: 'Adresse du texte' },
  ],
  schema: Joi.object({
    nature: choice('Choisissez la nature du texte', 'loi', 'decret', 'arrete', 'deliberation', 'convention', 'autre'),
    reference: text(
      500,
      'Indiquez la référence du texte, par exemple « Article R2143-13 du Code de la commande publique »',
    ),
    // Optional here: the address or an attached PDF is required, checked with the attachments (services/step-rules).
    url: Joi.string()
      .trim()
      .max(2000)
      .uri({ scheme: ['https'] })
      .allow('')
      .messages({
        'string.uri': 'L’adresse doit commencer par https://, par exemple https://www.legifrance.gouv.fr/…',
        'string.uriCustomScheme': 'L’adresse doit commencer par https://, par exemple https://www.legifrance.gouv.fr/…',
      }),
  }),
};

const cgu: StepDefinition = {
  slug: 'cgu',
  title: 'Conditions générales d’utilisation',
  fields: [
    { name: 'accept', label: 'Acceptation des CGU', choices: { oui: 'Oui' } },
    { name: 'dpoInformed', label: 'Information du DPD', choices: { oui: 'Oui' } },
  ],
  schema: Joi.object({
    accept: choice('Acceptez les conditions générales d’utilisation pour continuer', 'oui'),
    dpoInformed: choice(
      'Confirmez que votre délégué ou déléguée à la protection des données est informé de cette demande',
      'oui',
    ),
  }),
};

export const STEPS: readonly StepDefinition[] = [demarche, donnees, cadreJuridique, donneesPersonnelles, contacts, cgu];

export function findStep(slug: string): StepDefinition | undefined {
  return STEPS.find((step) => step.slug === slug);
}

/** The step after `slug`, or undefined for the last one. */
export function nextStep(slug: string): StepDefinition | undefined {
  return STEPS[STEPS.findIndex((step) => step.slug === slug) + 1];
}

/** « Enregistrer le brouillon »: nothing is required, but what is there must still fit (lengths, formats). */
export function lenientSchema(step: StepDefinition): Joi.ObjectSchema {
  let schema = lenientSchemas.get(step);
  if (!schema) {
    schema = step.schema.fork(
      step.fields.map((f) => f.name),
      (field) => field.optional().allow('', null),
    );
    lenientSchemas.set(step, schema);
  }
  return schema;
}

/** Built once per step: forking a joi schema on every autosave cost about 8 % of its CPU time. */
const lenientSchemas = new WeakMap<StepDefinition, Joi.ObjectSchema>();
