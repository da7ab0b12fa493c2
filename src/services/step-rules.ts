import type { Knex } from 'knex';
import type { FieldError } from '../forms/validation.ts';
import { STEPS, type StepDefinition, type StepRuleKind } from '../forms/steps/index.ts';
import { validateForm } from '../forms/validation.ts';
import { scopeChoices } from '../repositories/catalogue.ts';
import type { AccessRequest } from '../repositories/requests.ts';
import { attachmentView } from '../forms/attachments.ts';
import type { AttachmentService } from './attachments.ts';

const NOT_FILLED = 'Cette étape n’a pas encore été remplie : ouvrez-la et choisissez « Continuer »';
const LEGAL_TEXT_MISSING =
  'Indiquez l’adresse du texte, par exemple https://www.legifrance.gouv.fr/…, ou joignez le texte en PDF';

/**
 * What a step needs beyond its schema: the data step shows the use case's scopes, forces the open data it includes
 * and refuses scopes the use case disables or hides; the legal step needs the text's address or its PDF attached.
 */
export function stepRules(db: Knex, attachments: AttachmentService) {
  async function scopes(request: AccessRequest) {
    const groups = await scopeChoices(db, request.useCaseId);
    const all = groups.flatMap((g) => g.scopes);
    return {
      groups,
      selectable: new Set(all.filter((s) => s.mode === 'preticked' || s.mode === null).map((s) => s.id)),
      /** Always part of the request: the open data the use case includes and the scopes it locks ticked. */
      included: all.filter((s) => s.mode === 'included' || s.mode === 'locked').map((s) => s.id),
      locked: all.filter((s) => s.mode === 'locked').map((s) => s.id),
      preticked: all.filter((s) => s.mode === 'preticked').map((s) => s.id),
    };
  }

  type Rule = {
    /** Keeps only what the step allows; strict checks add errors. Returns the values to store. */
    apply: (
      request: AccessRequest,
      value: Record<string, unknown>,
      strict: boolean,
    ) => Promise<{ value: Record<string, unknown>; errors: FieldError[] }>;
    /** What the step's page shows beyond the answers. */
    context: (request: AccessRequest, step: StepDefinition) => Promise<Record<string, unknown>>;
    /** Labels of values that come from the data rather than from the step's definition. */
    labels?: (request: AccessRequest) => Promise<Record<string, Record<string, string>>>;
  };

  const RULES: Record<StepRuleKind, Rule> = {
    scopes: {
      async apply(request, value, strict) {
        const { selectable, included, locked } = await scopes(request);
        const chosen = ([] as string[])
          .concat((value.scopes as string[] | undefined) ?? [])
          .filter((id) => selectable.has(id));
        const errors =
          strict && chosen.length === 0 && locked.length === 0
            ? [{ field: 'scopes', message: 'Cochez au moins une donnée, par exemple « Attestation fiscale »' }]
            : [];
        return { value: { scopes: [...new Set([...chosen, ...included])] }, errors };
      },
      async context(request, step) {
        const { groups, included, preticked } = await scopes(request);
        const answered = request.answers[step.slug]?.scopes as string[] | undefined;
        const scopeLabels = Object.fromEntries(groups.flatMap((g) => g.scopes).map((scope) => [scope.id, scope.label]));
        return { scopeGroups: groups, scopeLabels, checkedScopes: [...(answered ?? preticked), ...included] };
      },
      async labels(request) {
        const { groups } = await scopes(request);
        return { scopes: Object.fromEntries(groups.flatMap((g) => g.scopes).map((scope) => [scope.id, scope.label])) };
      },
    },
    'legal-text': {
      async apply(request, value, strict) {
        const missing = strict && !value.url && (await attachments.count(request.id)) === 0;
        return { value, errors: missing ? [{ field: 'url', message: LEGAL_TEXT_MISSING }] : [] };
      },
      context: async (request) => ({
        attachments: (await attachments.list(request.id)).map((a) => attachmentView(request.id, a)),
      }),
    },
  };

  async function apply(
    step: StepDefinition,
    request: AccessRequest,
    value: Record<string, unknown>,
    strict: boolean,
  ): Promise<{ value: Record<string, unknown>; errors: FieldError[] }> {
    return step.rules ? RULES[step.rules].apply(request, value, strict) : { value, errors: [] };
  }

  /** The labels of every choice of a step, by field: declared with the step, or read from the data (scopes). */
  async function choiceLabels(
    step: StepDefinition,
    request: AccessRequest,
  ): Promise<Record<string, Record<string, string>>> {
    const declared = Object.fromEntries(step.fields.filter((f) => f.choices).map((f) => [f.name, f.choices!]));
    return { ...declared, ...(step.rules ? await RULES[step.rules].labels?.(request) : {}) };
  }

  return {
    apply,

    /** Every step checked strictly, as on submission: a step skipped by editing the URL is caught here. */
    async incompleteSteps(request: AccessRequest): Promise<{ step: StepDefinition; errors: FieldError[] }[]> {
      const result: { step: StepDefinition; errors: FieldError[] }[] = [];
      for (const step of STEPS) {
        const answers = request.answers[step.slug];
        const { value, errors } = validateForm(step.schema, answers ?? {});
        const extra = errors.length ? [] : (await apply(step, request, value as Record<string, unknown>, true)).errors;
        // A step never saved is not complete, even when nothing in it is required (« Socle de base » locks all its data).
        if (answers === undefined && !errors.length && !extra.length)
          extra.push({ field: step.fields[0]!.name, message: NOT_FILLED });
        if (errors.length || extra.length) result.push({ step, errors: [...errors, ...extra] });
      }
      return result;
    },

    context: async (step: StepDefinition, request: AccessRequest): Promise<Record<string, unknown>> =>
      step.rules ? RULES[step.rules].context(request, step) : {},

    choiceLabels,

    /** The same for every step of the request, by step: what the summary and the instruction pages show. */
    async allChoiceLabels(request: AccessRequest): Promise<Record<string, Record<string, Record<string, string>>>> {
      return Object.fromEntries(
        await Promise.all(STEPS.map(async (step) => [step.slug, await choiceLabels(step, request)] as const)),
      );
    },
  };
}

export type StepRules = ReturnType<typeof stepRules>;
