import { Router, type Request, type Response } from 'express';
import { MAX_OVERLAP_DAYS, TOKEN_STATE_LABELS } from '../../domain/api-tokens.ts';
import { newTokenSchema, renewTokenSchema } from '../../forms/api-tokens.ts';
import { validateForm } from '../../forms/validation.ts';
import { currentUserOf, requireRecentAuth } from '../../middleware/auth.ts';
import type { User } from '../../repositories/users.ts';
import type { TokenChange } from '../../services/api-tokens.ts';
import type { Services } from '../../services/index.ts';

export const TOKENS_PATH = '/tableau-de-bord/jetons';
const SHOWN_PATH = `${TOKENS_PATH}/nouveau-jeton`;
const DEFAULT_OVERLAP_DAYS = 7;

/**
 * `/tableau-de-bord/jetons`: the tokens of the user's authorizations. Creating, renewing and revoking ask for the
 * password again first (on the form's page, so that nothing typed is lost); a new token is shown once, on a page that
 * is never stored, and cannot be seen again.
 */
export function tokenRoutes(services: Services): Router {
  const router = Router();
  const recent = requireRecentAuth();

  async function renderNewForm(res: Response, user: User, extra: Record<string, unknown> = {}, status = 200) {
    const authorizations = (await services.authorizations.list(user)).filter((a) => a.status === 'active');
    res.status(status).render('tableau-de-bord/jeton-nouveau', {
      authorizations,
      values: {},
      fieldErrors: {},
      ...extra,
    });
  }

  /** After a change that made a token: show it once, or say why nothing was done. */
  function afterChange(req: Request, res: Response, change: TokenChange) {
    if (change.kind === 'not_found') return false;
    if (change.kind === 'closed') {
      req.session.notice =
        'Ce jeton ne peut plus être modifié\u00a0: il a été révoqué, remplacé ou son habilitation a pris fin.';
      res.redirect(303, TOKENS_PATH);
      return true;
    }
    req.session.newToken = change.token;
    req.session.save(() => res.redirect(303, SHOWN_PATH));
    return true;
  }

  router.get(TOKENS_PATH, async (req, res) => {
    const authorizations = await services.authorizations.list(currentUserOf(res));
    const tokens = await services.apiTokens.tokensOf(authorizations.map((a) => a.id));
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('tableau-de-bord/jetons', {
      authorizations: authorizations.map((a) => ({ ...a, tokens: tokens.filter((t) => t.authorizationId === a.id) })),
      stateLabels: TOKEN_STATE_LABELS,
      notice,
    });
  });

  router.get(`${TOKENS_PATH}/nouveau`, recent, async (req, res) => {
    const chosen = typeof req.query.habilitation === 'string' ? req.query.habilitation : undefined;
    await renderNewForm(res, currentUserOf(res), { values: { habilitation: chosen } });
  });
  router.post(TOKENS_PATH, recent, async (req, res, next) => {
    const user = currentUserOf(res);
    const { value, errors, fieldErrors } = validateForm(newTokenSchema, req.body);
    if (errors.length) return renderNewForm(res, user, { values: req.body as object, errors, fieldErrors }, 422);
    const change = await services.apiTokens.create(user, value.habilitation, value.nom);
    if (change.kind === 'not_found') {
      const message = 'Choisissez l’habilitation du jeton dans la liste';
      const invalid = [{ field: 'habilitation', message }];
      return renderNewForm(res, user, { values: value, errors: invalid, fieldErrors: { habilitation: message } }, 422);
    }
    if (!afterChange(req, res, change)) next();
  });

  router.get(SHOWN_PATH, (req, res) => {
    const shown = req.session.newToken;
    delete req.session.newToken; // shown once
    const token = shown && services.apiTokens.reveal(shown);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.render('tableau-de-bord/jeton-cree', { token, tokenId: shown?.id });
  });

  router.get(`${TOKENS_PATH}/:id/renouveler`, recent, async (req, res, next) => {
    const found = await services.apiTokens.find(currentUserOf(res), String(req.params.id));
    if (!found) return next();
    res.render('tableau-de-bord/jeton-renouveler', {
      ...found,
      values: { recouvrement: DEFAULT_OVERLAP_DAYS },
      fieldErrors: {},
      maxOverlap: MAX_OVERLAP_DAYS,
    });
  });
  router.post(`${TOKENS_PATH}/:id/renouveler`, recent, async (req, res, next) => {
    const user = currentUserOf(res);
    const found = await services.apiTokens.find(user, String(req.params.id));
    if (!found) return next();
    const { value, errors, fieldErrors } = validateForm(renewTokenSchema, req.body);
    if (errors.length)
      return res.status(422).render('tableau-de-bord/jeton-renouveler', {
        ...found,
        values: req.body as object,
        errors,
        fieldErrors,
        maxOverlap: MAX_OVERLAP_DAYS,
      });
    if (!afterChange(req, res, await services.apiTokens.renew(user, found.token.id, value.recouvrement))) next();
  });

  router.get(`${TOKENS_PATH}/:id/revoquer`, recent, async (req, res, next) => {
    const found = await services.apiTokens.find(currentUserOf(res), String(req.params.id));
    if (!found) return next();
    res.render('tableau-de-bord/jeton-revoquer', found);
  });
  router.post(`${TOKENS_PATH}/:id/revoquer`, recent, async (req, res, next) => {
    const outcome = await services.apiTokens.revoke(currentUserOf(res), String(req.params.id));
    if (outcome.kind === 'not_found') return next();
    req.session.notice =
      outcome.kind === 'revoked'
        ? 'Le jeton est révoqué\u00a0: il ne permet plus d’appeler l’API Entreprise.'
        : 'Ce jeton ne fonctionnait déjà plus\u00a0: rien n’a changé.';
    res.redirect(303, TOKENS_PATH);
  });
  return router;
}
