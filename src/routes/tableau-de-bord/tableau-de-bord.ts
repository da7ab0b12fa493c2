import { Router } from 'express';
import { TOKEN_STATE_LABELS } from '../../domain/api-tokens.ts';
import { STATUS_LABELS } from '../../domain/request-states.ts';
import { CONTACT_PARTS, CONTACT_ROLES } from '../../forms/steps/contacts.ts';
import { STEPS } from '../../forms/steps/index.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import { AUTHORIZATION_STATUS_LABELS } from '../../services/authorizations.ts';
import type { Services } from '../../services/index.ts';
import { sendAttachment } from '../attachment-download.ts';

/** `/tableau-de-bord`: the user's authorizations; `/tableau-de-bord/habilitations/:id`: one of them, as accepted. */
export function dashboardRoutes(services: Services): Router {
  const router = Router();

  router.get('/tableau-de-bord', async (req, res) => {
    const authorizations = await services.authorizations.list(currentUserOf(res));
    const tokens = await services.apiTokens.tokensOf(authorizations.map((a) => a.id));
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('tableau-de-bord/index', {
      authorizations: authorizations.map((a) => ({
        ...a,
        workingTokens: tokens.filter((t) => t.authorizationId === a.id && t.usable).length,
      })),
      statusLabels: AUTHORIZATION_STATUS_LABELS,
      legacyDossiers: await services.legacyDossiers.ofUser(currentUserOf(res)),
      labels: STATUS_LABELS,
      notice,
    });
  });

  router.get('/tableau-de-bord/habilitations/:id', async (req, res, next) => {
    const page = await services.authorizations.page(currentUserOf(res), req.params.id);
    if (!page) return next();
    const tokens = await services.apiTokens.tokensOf([page.authorization.id]);
    const replaced = await services.legacyDossiers.replacedBy(page.authorization.id);
    res.render('tableau-de-bord/habilitation', {
      ...page,
      tokens,
      replaced,
      replacedVisible: await services.legacyDossiers.visibleNumbers(currentUserOf(res), replaced),
      steps: STEPS,
      contactRoles: CONTACT_ROLES,
      contactParts: CONTACT_PARTS,
      statusLabels: AUTHORIZATION_STATUS_LABELS,
      tokenStateLabels: TOKEN_STATE_LABELS,
    });
  });

  router.post('/tableau-de-bord/habilitations/:id/renouveler', async (req, res, next) => {
    const outcome = await services.authorizations.renew(currentUserOf(res), req.params.id);
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'draft') return res.redirect(303, `/demandes/${outcome.requestId}/demarche`);
    req.session.notice =
      outcome.kind === 'closed'
        ? 'Cette habilitation a pris fin\u00a0: elle ne peut plus être renouvelée. Faites une nouvelle demande.'
        : 'Seul un membre de l’organisation peut demander le renouvellement de cette habilitation.';
    res.redirect(303, '/tableau-de-bord');
  });

  router.get('/tableau-de-bord/habilitations/:id/pieces-jointes/:pieceId', async (req, res, next) => {
    const authorization = await services.authorizations.find(currentUserOf(res), req.params.id);
    const files = authorization ? await services.authorizations.documents(authorization) : [];
    const attachment = files.find((f) => String(f.id) === req.params.pieceId);
    const download = attachment && (await services.attachments.download(attachment));
    if (!authorization || !attachment || !download) return next();
    await sendAttachment(req, res, attachment, download, {
      href: `/tableau-de-bord/habilitations/${authorization.id}`,
      label: 'Retour à l’habilitation',
    });
  });
  return router;
}
