import { Router } from 'express';
import { INSTRUCTION_STATUSES } from '../../domain/instruction-list.ts';
import { eventsFor, isCopyable, isEditable, STATUS_LABELS, type RequestStatus } from '../../domain/request-states.ts';
import { STEPS } from '../../forms/steps/index.ts';
import { CONTACT_PARTS, CONTACT_ROLES } from '../../forms/steps/contacts.ts';
import { attachmentView } from '../../forms/attachments.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';

/** Both sides write to each other while instruction may still act on the request: not on a draft nor once archived. */
const readByInstruction = (request: { status: RequestStatus }) =>
  request.status !== 'archived' && INSTRUCTION_STATUSES.includes(request.status);

/** The summary of every answer with « Modifier » links, and the submission (once, after a full check). */
export function requestSummaryRoutes(services: Services): Router {
  const router = Router();

  const render = async (
    res: Parameters<Parameters<Router['get']>[1]>[1],
    id: string,
    status = 200,
    extra: Record<string, unknown> = {},
  ) => {
    const request = await services.requests.find(id, currentUserOf(res).id);
    if (!request) return false;
    const incomplete = await services.stepRules.incompleteSteps(request);
    const choiceLabels = await services.stepRules.allChoiceLabels(request);
    const attachments = (await services.attachments.list(request.id)).map((a) => attachmentView(request.id, a));
    const user = currentUserOf(res);
    res.status(status).render('demandes/recapitulatif', {
      request,
      decision: await services.requests.decision(request),
      // what to expect, before submitting and while instruction reads it
      expectedDelay: ['draft', 'changes_requested', 'submitted'].includes(request.status)
        ? await services.instructionStatistics.expectedDelay()
        : undefined,
      messages: readByInstruction(request) ? await services.conversation.thread(request.id, user) : undefined,
      typed: {},
      errorFor: {},
      steps: STEPS,
      incomplete: incomplete.map((i) => i.step.slug),
      labels: STATUS_LABELS,
      editable: isEditable(request.status),
      archivable: eventsFor(request.status, 'applicant').includes('archive'),
      copyable: isCopyable(request.status),
      choiceLabels,
      contactRoles: CONTACT_ROLES,
      contactParts: CONTACT_PARTS,
      attachments,
      ...extra,
    });
    return true;
  };

  router.get('/demandes/:id/recapitulatif', async (req, res, next) => {
    const notice = req.session.notice;
    delete req.session.notice;
    if (!(await render(res, req.params.id, 200, { notice }))) next();
  });

  router.post('/demandes/:id/soumettre', async (req, res, next) => {
    const user = currentUserOf(res);
    const request = await services.requests.find(req.params.id, user.id);
    if (!request) return next();
    if (!isEditable(request.status)) return res.redirect(303, `/demandes/${request.id}/recapitulatif`); // double click, replay
    const incomplete = await services.stepRules.incompleteSteps(request);
    const errors = incomplete.map(({ step }) => ({
      field: `etape-${step.slug}`,
      message: `Complétez l’étape « ${step.title} »`,
    }));
    if ((req.body as { certification?: string }).certification !== 'oui')
      errors.push({ field: 'certification', message: 'Cochez la case pour certifier l’exactitude des informations' });
    if (errors.length) {
      await render(res, request.id, 422, {
        errors,
        fieldErrors: Object.fromEntries(errors.map((e) => [e.field, e.message])),
      });
      return;
    }
    if ((await services.requests.submit(request, user)).kind === 'done')
      req.session.notice = 'Votre demande est transmise. Vous recevrez un courriel de confirmation.';
    res.redirect(303, `/demandes/${request.id}/recapitulatif`);
  });
  router.post('/demandes/:id/messages', async (req, res, next) => {
    const user = currentUserOf(res);
    const request = await services.requests.find(req.params.id, user.id);
    if (!request || !readByInstruction(request)) return next();
    const body = req.body as { message?: unknown };
    const posted = await services.conversation.post(request, 'applicant', user, body.message);
    if (posted.kind === 'invalid') {
      const errors = [{ field: 'message', message: posted.message }];
      await render(res, request.id, 422, {
        errors,
        errorFor: { message: posted.message },
        typed: { message: body.message },
      });
      return;
    }
    req.session.notice = 'Votre message est envoyé à l’instruction.';
    res.redirect(303, `/demandes/${request.id}/recapitulatif#messages`);
  });

  router.post('/demandes/:id/archiver', async (req, res, next) => {
    const user = currentUserOf(res);
    const request = await services.requests.find(req.params.id, user.id);
    if (!request) return next();
    req.session.notice =
      (await services.requests.archive(request, user)).kind === 'done'
        ? 'Le brouillon est archivé.'
        : 'Cette demande ne peut pas être archivée.';
    res.redirect(303, `/demandes/${request.id}/recapitulatif`);
  });

  router.post('/demandes/:id/copier', async (req, res, next) => {
    const user = currentUserOf(res);
    const request = await services.requests.find(req.params.id, user.id);
    if (!request) return next();
    const copy = await services.requests.copy(request, user.id);
    if (!copy) {
      req.session.notice = 'Seules les demandes validées ou refusées peuvent être copiées.';
      return res.redirect(303, `/demandes/${request.id}/recapitulatif`);
    }
    res.redirect(303, `/demandes/${copy}/demarche`);
  });
  return router;
}
