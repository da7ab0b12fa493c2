import { Router, type Response } from 'express';
import { STATUS_LABELS } from '../../domain/request-states.ts';
import { DECISIONS } from '../../domain/decisions.ts';
import { CONTACT_PARTS, CONTACT_ROLES } from '../../forms/steps/contacts.ts';
import { STEPS } from '../../forms/steps/index.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { InstructedRequest } from '../../repositories/instruction-detail.ts';
import type { Services } from '../../services/index.ts';
import { sendAttachment } from '../attachment-download.ts';

/** The request's instruction page; `extra`: a form's error and what was typed in it (422), a notice. */
export async function renderRequestPage(
  services: Services,
  res: Response,
  request: InstructedRequest,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const page = await services.review.page(request, currentUserOf(res));
  res.status(status).render('instruction/demande', {
    ...page,
    replacedDossiers: await services.legacyDossiers.replacedByRequest(request.id),
    steps: STEPS,
    labels: STATUS_LABELS,
    decisionLabels: DECISIONS,
    contactRoles: CONTACT_ROLES,
    contactParts: CONTACT_PARTS,
    errorFor: {},
    typed: {},
    ...extra,
  });
}

/** `/instruction/demandes/:id`: everything instruction needs to decide, on one page; its attachments for download. */
export function instructionRequestRoutes(services: Services): Router {
  const router = Router();

  router.get('/instruction/demandes/:id', async (req, res, next) => {
    const request = await services.review.find(req.params.id);
    if (!request) return next();
    const notice = req.session.notice;
    delete req.session.notice;
    await renderRequestPage(services, res, request, { notice });
  });

  router.get('/instruction/demandes/:id/pieces-jointes/:pieceId', async (req, res, next) => {
    const request = await services.review.find(req.params.id);
    const attachment = request && (await services.attachments.find(request.id, req.params.pieceId));
    const download = attachment && (await services.attachments.download(attachment));
    if (!request || !attachment || !download) return next();
    await sendAttachment(req, res, attachment, download, {
      href: `/instruction/demandes/${request.id}`,
      label: 'Retour à la demande',
    });
  });
  return router;
}
