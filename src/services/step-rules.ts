import type { Knex } from 'knex';
import type { FieldError } from '../forms/validation.ts';
import type { StepDefinition } from '../forms/steps/index.ts';
import { scopeChoices } from '../repositories/catalogue.ts';
import type { AccessRequest } from '../repositories/requests.ts';

/**
 * What a step needs beyond its schema: the data step shows the use case's scopes, forces the open data it includes
 * and refuses scopes the use case disables or hides.
 */
export function stepRules(db: Knex) {
  async function scopes(request: AccessRequest) {
    const groups = await scopeChoices(db, request.useCaseId);
    const all = groups.flatMap((g) => g.scopes);
    return {
      groups,
      selectable: new Set(all.filter((s) => s.mode !== 'included' && s.mode !== 'disabled').map((s) => s.id)),
      included: all.filter((s) => s.mode === 'included').map((s) => s.id),
      preticked: all.filter((s) => s.mode === 'preticked').map((s) => s.id),
    };
  }

  return {
    async context(step: StepDefinition, request: AccessRequest): Promise<Record<string, unknown>> {
      if (step.slug !== 'donnees') return {};
      const { groups, included, preticked } = await scopes(request);
      const answered = request.answers.donnees?.scopes as string[] | undefined;
      return { scopeGroups: groups, checkedScopes: [...(answered ?? preticked), ...included] };
    },

    /** Keeps only what the step allows; strict checks add errors. Returns the values to store. */
    async apply(step: StepDefinition, request: AccessRequest, value: Record<string, unknown>, strict: boolean): Promise<{ value: Record<string, unknown>; errors: FieldError[] }> {
      if (step.slug !== 'donnees') return { value, errors: [] };
      const { selectable, included } = await scopes(request);
      const chosen = ([] as string[]).concat((value.scopes as string[] | undefined) ?? []).filter((id) => selectable.has(id));
      const errors = strict && chosen.length === 0 ? [{ field: 'scopes', message: 'Cochez au moins une donnée, par exemple « Attestation fiscale »' }] : [];
      return { value: { scopes: [...new Set([...chosen, ...included])] }, errors };
    },
  };
}
