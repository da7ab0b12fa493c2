import { Router, type Request, type Response } from 'express';
import { currentUserOf, requireRole } from '../../middleware/auth.ts';
import type { InstructedRequest } from '../../repositories/instruction-detail.ts';
import type { Services } from '../../services/index.ts';
import { renderRequestPage } from './demande.ts';

type Field = 'message' | 'note' | 'attribution';

/**
 * What instructors do on a request besides deciding: write to the applicant, keep internal notes, take, give or release
 * the request. Each form posts to its own address; a refused one shows the page again with what was typed (422).
 */
export function instructionExchangeRoutes(services: Services): Router {
  const router = Router();
  const paths = ['messages', 'notes', 'attribution'].map((p) => `/instruction/demandes/:id/${p}`);
  // Reporters read the messages, notes and assignment, and change none of them (404).
  router.use(paths, requireRole('instructor'));

  const handle =
    (
      field: Field,
      act: (
        request: InstructedRequest,
        body: Record<string, unknown>,
        req: Request,
        res: Response,
      ) => Promise<{ kind: 'done'; notice: string } | { kind: 'invalid'; message: string }>,
    ) =>
    async (req: Request, res: Response, next: (err?: unknown) => void) => {
      const request = await services.review.find(String(req.params.id));
      if (!request) return next();
      const body = req.body as Record<string, unknown>;
      const result = await act(request, body, req, res);
      if (result.kind === 'invalid') {
        const error = { field, message: result.message };
        return renderRequestPage(
          services,
          res,
          request,
          { errors: [error], errorFor: { [field]: result.message }, typed: { [field]: body[field] ?? '' } },
          422,
        );
      }
      req.session.notice = result.notice;
      res.redirect(
        303,
        `/instruction/demandes/${request.id}#${field === 'note' ? 'notes' : field === 'message' ? 'messages' : 'demande-resume'}`,
      );
    };

  router.post(
    '/instruction/demandes/:id/messages',
    handle('message', async (request, body, _req, res) => {
      const posted = await services.conversation.post(request, 'instructor', currentUserOf(res), body.message);
      return posted.kind === 'invalid' ? posted : { kind: 'done', notice: 'Votre message est envoyé au demandeur.' };
    }),
  );
  router.post(
    '/instruction/demandes/:id/notes',
    handle('note', async (request, body, _req, res) => {
      const posted = await services.conversation.note(request.id, currentUserOf(res), body.note);
      return posted.kind === 'invalid' ? posted : { kind: 'done', notice: 'La note interne est enregistrée.' };
    }),
  );
  router.post(
    '/instruction/demandes/:id/attribution',
    handle('attribution', (request, body, _req, res) => services.review.assign(request, body, currentUserOf(res))),
  );
  return router;
}
