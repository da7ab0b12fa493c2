import type { Response } from 'express';
import { shownValue } from '../../domain/answer-text.ts';
import { STATUS_LABELS } from '../../domain/request-states.ts';
import { STEPS, type StepDefinition } from '../../forms/steps/index.ts';
import type { AccessRequest } from '../../repositories/requests.ts';
import type { Services } from '../../services/index.ts';

export type ConflictView = {
  request: AccessRequest;
  step: StepDefinition;
  mine: Record<string, unknown>;
  locked?: boolean;
  conflicts?: string[];
  stored?: Record<string, unknown>;
  merged?: Record<string, unknown>;
  undecided?: string[];
  version?: unknown;
  base?: string;
};

/** The 409 page: the fields both sides changed, each with a choice; the others, already merged, travel hidden. */
export async function renderConflict(services: Services, res: Response, view: ConflictView) {
  const { step, conflicts = [], undecided = [] } = view;
  const names = await services.stepRules.choiceLabels(step, view.request);
  const shown = (values: Record<string, unknown> = {}) =>
    Object.fromEntries(step.fields.map((f) => [f.name, shownValue(values[f.name], names[f.name], f.name)]));
  const errors = undecided.map((name) => ({
    field: `${name}__choix`,
    message: `Choisissez la version à garder pour « ${step.fields.find((f) => f.name === name)?.label ?? name} »`,
  }));
  res.status(409).render('demandes/conflit', {
    ...view,
    shownMine: shown(view.mine),
    shownStored: shown(view.stored),
    stepNumber: STEPS.indexOf(step) + 1,
    steps: STEPS,
    labels: STATUS_LABELS,
    errors,
    fieldErrors: Object.fromEntries(errors.map((e) => [e.field, e.message])),
    conflictFields: step.fields.filter((f) => conflicts.includes(f.name)),
    mergedFields: step.fields.filter((f) => !conflicts.includes(f.name)),
  });
}

/** The conflict page posted back without a choice for some field: shown again, as it was. */
export function undecidedView(
  raw: Record<string, unknown>,
  request: AccessRequest,
  step: StepDefinition,
  undecided: string[],
): ConflictView {
  const listed = ([] as unknown[]).concat(raw.conflit ?? []).map(String);
  const pick = (suffix: string) =>
    Object.fromEntries(
      step.fields.map((f) => [f.name, listed.includes(f.name) ? raw[`${f.name}__${suffix}`] : raw[f.name]]),
    );
  return {
    request,
    step,
    conflicts: listed,
    undecided,
    mine: pick('saisie'),
    stored: pick('enregistree'),
    merged: pick('saisie'),
    version: raw.version,
    base: String(raw.base ?? ''),
  };
}
