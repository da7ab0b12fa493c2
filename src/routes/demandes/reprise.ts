import type { Response } from 'express';
import { isEditable } from '../../domain/request-states.ts';
import { postedLists, type StepDefinition } from '../../forms/steps/index.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { AccessRequest } from '../../repositories/requests.ts';
import type { Services } from '../../services/index.ts';

/**
 * What a step page shows instead of the saved draft when this browser stashed the user's last post to this step
 * while their session had expired (ADR 0009): the posted values, the version and base they were typed against (so that
 * a save meanwhile by someone else still leads to the conflict page) and a banner. The stash is used once; nothing is
 * saved until the user chooses to.
 */
export async function restoredStep(
  services: Services,
  res: Response,
  request: AccessRequest,
  step: StepDefinition,
): Promise<Record<string, unknown>> {
  const id = res.locals.stashId;
  if (!id || !isEditable(request.status)) return {};
  const stashed = await services.formStashes.take(id, currentUserOf(res).id, `/demandes/${request.id}/${step.slug}`);
  if (!stashed) return {};
  const text = (name: string) => (typeof stashed[name] === 'string' ? (stashed[name] as string) : undefined);
  const context: Record<string, unknown> = {
    restored: true,
    saved: undefined,
    values: Object.fromEntries(step.fields.map((f) => [f.name, stashed[f.name] ?? ''])),
  };
  if (/^\d{1,9}$/.test(text('version') ?? '')) context.version = text('version');
  if (text('base') !== undefined) context.base = text('base');
  if (text('retour') === 'recapitulatif') context.retour = 'recapitulatif';
  Object.assign(context, postedLists(step, stashed));
  return context;
}
