import { Router, type Response } from 'express';
import { DECISION_KINDS, DECISIONS, decisionsFor, type DecisionKind } from '../../domain/decisions.ts';
import { STATUS_LABELS } from '../../domain/request-states.ts';
import { STEPS } from '../../forms/steps/index.ts';
import { currentUserOf, requireRole } from '../../middleware/auth.ts';
import type { DecisionTemplate } from '../../repositories/decision-templates.ts';
import type { InstructedRequest } from '../../repositories/instruction-detail.ts';
import type { Services } from '../../services/index.ts';

type Shown = { motif?: string; champs?: string[]; version?: number };

function renderDecision(
  res: Response,
  request: InstructedRequest,
  kind: DecisionKind,
  shown: Shown & { templates: DecisionTemplate[]; modele?: string },
  errors: { field: string; message: string }[] = [],
) {
  const flagged = shown.champs ?? [];
  res.status(errors.length ? 422 : 200).render('instruction/decision', {
    templates: shown.templates.map((t) => ({ value: t.id, text: t.title })),
    modele: shown.modele,
    request,
    kind,
    decision: DECISIONS[kind],
    labels: STATUS_LABELS,
    steps: STEPS,
    motif: shown.motif ?? '',
    flagged,
    version: shown.version ?? request.version,
    errors: errors.map((e) => ({ ...e, field: e.field === 'champs' ? `champs-${STEPS[0]!.slug}` : e.field })),
    errorFor: Object.fromEntries(errors.map((e) => [e.field, e.message])),
  });
}

/**
 * A decision's confirmation page (works without JS) and its POST: the transition use case decides, under the row
 * lock; a refused reason is shown back with what was typed (422); a decision overtaken by another is a 409 page that
 * says what happened instead.
 */
export function instructionDecisionRoutes(services: Services): Router {
  const router = Router();
  const overtaken = (res: Response, request: InstructedRequest, last?: unknown) =>
    res.status(409).render('instruction/decision-impossible', { request, labels: STATUS_LABELS, last });

  for (const kind of DECISION_KINDS) {
    const path = `/instruction/demandes/:id/${kind}`;
    // Reporters read everything and decide nothing: these pages are not theirs (404).
    router.use(path, requireRole('instructor'));

    router.get(path, async (req, res, next) => {
      const request = await services.review.find(String(req.params.id));
      if (!request) return next();
      if (!decisionsFor(request.status).includes(kind)) return overtaken(res, request);
      renderDecision(res, request, kind, { templates: await services.decisionTemplates.list(kind) });
    });

    router.post(path, async (req, res, next) => {
      const request = await services.review.find(String(req.params.id));
      if (!request) return next();
      const body = req.body as Record<string, unknown>;
      const templates = await services.decisionTemplates.list(kind);
      const typed = {
        motif: typeof body.motif === 'string' ? body.motif : '',
        champs: ([] as unknown[]).concat(body.champs ?? []).map(String),
        version: /^\d{1,9}$/.test(String(body.version)) ? Number(body.version) : undefined,
        templates,
      };
      // « Insérer le modèle »: its text, filled in for this request, added after what was typed (nothing is lost).
      if (body.action === 'modele') {
        const template = templates.find((t) => t.id === body.modele);
        const filled = template ? services.decisionTemplates.filled(template, request) : '';
        const motif = [typed.motif.trim(), filled].filter(Boolean).join('\n\n');
        return renderDecision(res, request, kind, { ...typed, motif, modele: template?.id });
      }
      const result = await services.review.decide(request, kind, body, currentUserOf(res));
      if (result.kind === 'invalid') return renderDecision(res, request, kind, typed, result.problems);
      if (result.kind === 'overtaken') return overtaken(res, result.request, result.last);
      req.session.notice = result.notice;
      res.redirect(303, `/instruction/demandes/${request.id}`);
    });
  }
  return router;
}
