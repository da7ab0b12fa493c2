import type { Response } from 'express';
import { typedCalendarDate } from '../../domain/calendar-date.ts';
import { formatPhone } from '../../domain/phone.ts';
import { STEPS, type StepDefinition } from '../../forms/steps/index.ts';
import { CONTACT_PARTS, CONTACT_ROLES } from '../../forms/steps/contacts.ts';
import type { AccessRequest } from '../../repositories/requests.ts';
import type { Services } from '../../services/index.ts';

/** A step's page: its answers as people type them, the context its rules add, and `extra` (errors, notices…). */
export async function renderStep(
  services: Services,
  res: Response,
  request: AccessRequest,
  step: StepDefinition,
  extra: Record<string, unknown>,
  status = 200,
) {
  const context = await services.stepRules.context(step, request);
  // a request no longer editable shows its answers read-only, as the summary does: with the labels of its choices
  if (extra.readOnly) context.choiceLabels = { [step.slug]: await services.stepRules.choiceLabels(step, request) };
  const decision = await services.requests.decision(request);
  res.status(status).render('demandes/etape', {
    request,
    decision,
    // the fields instruction asked to change, marked in words next to each (not by colour only)
    flaggedFields: decision?.flagged.find((group) => group.step.slug === step.slug)?.fields.map((f) => f.name) ?? [],
    step,
    steps: STEPS,
    stepNumber: STEPS.indexOf(step) + 1,
    values: forDisplay(request.answers[step.slug] ?? {}),
    fieldErrors: {},
    contactRoles: CONTACT_ROLES,
    contactParts: CONTACT_PARTS,
    ...context,
    ...extra,
  });
}

/** Stored answers as people type them: phone numbers kept in E.164 shown « 01 23 45 67 89 », ISO dates « 01/03/2027 ». */
function forDisplay(answers: Record<string, unknown>): Record<string, unknown> {
  const typed = (name: string, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (name.endsWith('Phone')) return formatPhone(value);
    return name.endsWith('Date') ? typedCalendarDate(value) : value;
  };
  return Object.fromEntries(Object.entries(answers).map(([name, value]) => [name, typed(name, value)]));
}
