import { Router, type Request, type Response } from 'express';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../../domain/attachments.ts';
import { isEditable } from '../../domain/request-states.ts';
import {
  addedNotice,
  NO_FILE_CHOSEN,
  NOT_EDITABLE,
  rejectionMessage,
  removedNotice,
  TOO_MANY_IN_ONE_GO,
  UPLOAD_FIELD,
} from '../../forms/attachments.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import { HttpError } from '../../middleware/http-error.ts';
import type { MultipartLimits } from '../../middleware/multipart.ts';
import type { AccessRequest } from '../../repositories/requests.ts';
import type { AddOutcome } from '../../services/attachments.ts';
import { sendAttachment } from '../attachment-download.ts';
import type { Services } from '../../services/index.ts';
import {
  errorContext,
  LEGAL_STEP,
  receiveUpload,
  renderLegalStep,
  saveLegalText,
  type TextOutcome,
} from './cadre-juridique.ts';

/** The upload form's path, read by the multipart middleware before the CSRF check. */
export const ATTACHMENT_UPLOAD_PATH = /^\/demandes\/\d{1,18}\/pieces-jointes\/?$/;
/** Six files of 10 MB and the form's fields: beyond this, the connection is cut (the page cannot be answered). */
export const UPLOAD_LIMITS: MultipartLimits = {
  fileBytes: MAX_ATTACHMENT_BYTES,
  files: MAX_ATTACHMENTS,
  bodyBytes: (MAX_ATTACHMENTS + 4) * MAX_ATTACHMENT_BYTES,
};

const stepPath = (request: AccessRequest, fields: Record<string, unknown>) =>
  `/demandes/${request.id}/${LEGAL_STEP.slug}${fields.retour === 'recapitulatif' ? '?retour=recapitulatif' : ''}`;

/** After an attachment changed: back to the step (303), or the step again with what went wrong (413/422). */
async function respond(
  services: Services,
  req: Request,
  res: Response,
  request: AccessRequest,
  outcome: {
    text: TextOutcome;
    fileErrors: { field: string; message: string }[];
    notice?: string;
    tooLarge?: boolean;
    fields: Record<string, unknown>;
  },
) {
  const { text, fileErrors, notice, fields } = outcome;
  if (!text.errors.length && !fileErrors.length) {
    if (notice) req.session.stepNotice = { requestId: request.id, step: LEGAL_STEP.slug, text: notice };
    if (text.changed) req.session.draftSavedAt = new Date().toISOString();
    return res.redirect(303, stepPath(request, fields));
  }
  const current = (await services.requests.find(request.id, currentUserOf(res).id)) ?? request;
  await renderLegalStep(
    services,
    res,
    current,
    {
      ...errorContext([...text.errors, ...fileErrors]),
      ...(text.posted ? { values: text.posted } : {}),
      ...(text.unsaved ?? {}),
      stepNotice: notice,
      saved: text.changed ? new Date().toISOString() : undefined,
      retour: fields.retour === 'recapitulatif' ? 'recapitulatif' : undefined,
    },
    outcome.tooLarge ? 413 : 422,
  );
}

/** A file not served (ADR 0011): 409 while its antivirus scan is pending (retry soon), 410 once refused for a virus. */
/**
 * The PDF attachments of the legal step: attach (multipart, from the step's own form, whose text fields are saved
 * with it), remove while the request is editable, and download for members of the request's organisation only.
 * Another organisation's request, or an attachment of another request, is not found (404).
 */
export function attachmentRoutes(services: Services): Router {
  const router = Router();
  // The form's POST-only addresses, reloaded or reached again from a 422 page (session renewal): back to the step.
  router.get(
    ['/demandes/:id/pieces-jointes', '/demandes/:id/pieces-jointes/:pieceId/supprimer'],
    async (req, res, next) => {
      const request = await services.requests.find(String(req.params.id), currentUserOf(res).id);
      if (!request) return next(); // not a member: 404, as for the step itself
      res.redirect(303, `/demandes/${request.id}/${LEGAL_STEP.slug}`);
    },
  );

  router.post('/demandes/:id/pieces-jointes', async (req, res, next) => {
    const user = currentUserOf(res);
    const request = await services.requests.find(req.params.id, user.id);
    if (!request) return next();
    if (!isEditable(request.status)) throw new HttpError(409, NOT_EDITABLE);
    const { fields, received, tooManyFiles } = await receiveUpload(
      services,
      res.locals.multipart,
      req.body as Record<string, unknown>,
    );
    const outcomes: AddOutcome[] = [];
    try {
      for (const r of received) outcomes.push(await services.attachments.add(request, r.file, r.name, user.id));
    } finally {
      await Promise.all(received.map((r) => services.attachments.discard(r.file)));
    }
    const text = await saveLegalText(services, request, fields, user);
    const added = outcomes.flatMap((o) => (o.kind === 'added' ? [o.attachment.originalName] : []));
    const rejected = outcomes.flatMap((o) => (o.kind === 'rejected' ? [o] : []));
    const fileErrors = rejected.map((o) => ({ field: UPLOAD_FIELD, message: rejectionMessage(o) }));
    if (tooManyFiles) fileErrors.push({ field: UPLOAD_FIELD, message: TOO_MANY_IN_ONE_GO });
    if (!received.length && !tooManyFiles) fileErrors.push({ field: UPLOAD_FIELD, message: NO_FILE_CHOSEN });
    await respond(services, req, res, request, {
      text,
      fileErrors,
      fields,
      notice: added.length ? addedNotice(added) : undefined,
      tooLarge: rejected.some((o) => o.reason === 'too-large'),
    });
  });

  router.post('/demandes/:id/pieces-jointes/:pieceId/supprimer', async (req, res, next) => {
    const user = currentUserOf(res);
    const request = await services.requests.find(req.params.id, user.id);
    if (!request) return next();
    const removed = await services.attachments.remove(request, req.params.pieceId, user.id);
    if (removed === 'locked') throw new HttpError(409, NOT_EDITABLE);
    if (!removed) return next();
    const fields = req.body as Record<string, unknown>;
    const text = await saveLegalText(services, request, fields, user);
    await respond(services, req, res, request, {
      text,
      fileErrors: [],
      fields,
      notice: removedNotice(removed.originalName),
    });
  });

  router.get('/demandes/:id/pieces-jointes/:pieceId', async (req, res, next) => {
    const request = await services.requests.find(req.params.id, currentUserOf(res).id);
    const attachment = request && (await services.attachments.find(request.id, req.params.pieceId));
    const download = attachment && (await services.attachments.download(attachment));
    if (!request || !attachment || !download) return next();
    await sendAttachment(req, res, attachment, download, {
      href: `/demandes/${request.id}/${LEGAL_STEP.slug}`,
      label: 'Retour à l’étape « Cadre juridique » de la demande',
      applicant: true,
    });
  });
  return router;
}
