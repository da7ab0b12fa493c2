import { Router } from 'express';
import {
  ASSIGNMENTS,
  INSTRUCTION_STATUSES,
  listQuery,
  ORIGINS,
  resultAnnouncement,
  SORTS,
  type Assignment,
} from '../../domain/instruction-list.ts';
import { STATUS_LABELS, type RequestStatus } from '../../domain/request-states.ts';
import { DS_STATE_LABELS, LEGACY_STATUSES } from '../../domain/legacy-dossiers.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';
import type { InstructionList } from '../../services/instruction.ts';

const TITLE = 'Demandes à instruire';

/** The title says which list this is (RGAA 8.6): its filters, and whether it is a following page. */
function listTitle({ form, useCases }: InstructionList): string {
  // The use case, the assignment and the order do not apply to démarches simplifiées' dossiers: not named either.
  const legacy = form.origine === 'demarches-simplifiees';
  const parts = [
    form.origine === 'demarches-simplifiees' && 'dossiers démarches simplifiées',
    form.statut && STATUS_LABELS[form.statut as RequestStatus].text.toLowerCase(),
    !legacy && form['cas-usage'] && useCases.find((u) => u.id === form['cas-usage'])?.label,
    !legacy && form.attribution && `attribuées ${ASSIGNMENTS[form.attribution as Assignment].toLowerCase()}`,
    form.q && `recherche « ${form.q.trim()} »`,
    form.du && `déposées depuis le ${form.du}`,
    form.au && `jusqu’au ${form.au}`,
    !legacy && form.tri === 'modification' && 'par dernière modification',
  ].filter(Boolean);
  return parts.length ? `${TITLE} (${parts.join(', ')})` : TITLE;
}

/** `/instruction`: the requests to review, filtered by a plain GET form (every state of the list is a URL). */
export function instructionListRoutes(services: Services): Router {
  const router = Router();
  router.get('/instruction', async (req, res) => {
    const list = await services.instruction.list(req.query, currentUserOf(res));
    const title = list.problems.length ? TITLE : listTitle(list);
    const shown = list.form.origine === 'demarches-simplifiees' ? LEGACY_STATUSES : INSTRUCTION_STATUSES;
    const statuses = shown.map((status) => ({ value: status, text: STATUS_LABELS[status].text }));
    const errors = list.problems.filter((p) => p.field !== 'apres');
    const announcement = list.counts
      ? resultAnnouncement(
          list.counts,
          list.form.statut as RequestStatus,
          list.countsSampled ?? false,
          list.countSample ?? 0,
        )
      : `Le filtre n’est pas appliqué : ${list.problems.map((p) => p.message).join(' ; ')}`;
    // With htmx (the filters as they change), only the results; otherwise the whole page.
    res.vary('HX-Request');
    res
      .status(list.problems.length ? 400 : 200)
      .render(res.locals.isHtmx ? 'partials/instruction-resultats' : 'instruction/index', {
        origins: [{ value: 'demarches-simplifiees', text: ORIGINS['demarches-simplifiees'] }],
        legacyStatuses: LEGACY_STATUSES.map((status) => ({ value: status, text: STATUS_LABELS[status].text })),
        dsLabels: DS_STATE_LABELS,
        legacyHref: `/instruction${listQuery({ ...list.form, origine: 'demarches-simplifiees' })}`,
        announcement,
        ...list,
        // A tampered page link is no field of the form: said in an alert of its own.
        pageTitle: title,
        errors,
        linkProblem: list.problems.find((p) => p.field === 'apres')?.message,
        errorFor: Object.fromEntries(list.problems.map((p) => [p.field, p.message])),
        statuses,
        exportHref: `/instruction/export${listQuery(list.form)}`,
        useCaseItems: list.useCases.map((u) => ({ value: u.id, text: u.label })),
        labels: STATUS_LABELS,
        assignments: Object.entries(ASSIGNMENTS).map(([value, text]) => ({ value, text })),
        sorts: Object.entries(SORTS).map(([value, text]) => ({ value, text })),
      });
  });
  return router;
}
