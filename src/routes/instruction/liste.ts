import { Router } from 'express';
import { ASSIGNMENTS, INSTRUCTION_STATUSES, listQuery, SORTS, type Assignment } from '../../domain/instruction-list.ts';
import { STATUS_LABELS, type RequestStatus } from '../../domain/request-states.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { Services } from '../../services/index.ts';
import type { InstructionList } from '../../services/instruction.ts';

const TITLE = 'Demandes à instruire';

/** The title says which list this is (RGAA 8.6): its filters, and whether it is a following page. */
function listTitle({ form, useCases }: InstructionList): string {
  const parts = [
    form.statut && STATUS_LABELS[form.statut as RequestStatus].text.toLowerCase(),
    form['cas-usage'] && useCases.find((u) => u.id === form['cas-usage'])?.label,
    form.attribution && `attribuées ${ASSIGNMENTS[form.attribution as Assignment].toLowerCase()}`,
    form.q && `recherche « ${form.q.trim()} »`,
    form.du && `déposées depuis le ${form.du}`,
    form.au && `jusqu’au ${form.au}`,
    form.tri === 'modification' && 'par dernière modification',
  ].filter(Boolean);
  return parts.length ? `${TITLE} (${parts.join(', ')})` : TITLE;
}

/** `/instruction`: the requests to review, filtered by a plain GET form (every state of the list is a URL). */
export function instructionListRoutes(services: Services): Router {
  const router = Router();
  router.get('/instruction', async (req, res) => {
    const list = await services.instruction.list(req.query, currentUserOf(res));
    const title = list.problems.length ? TITLE : listTitle(list);
    const statuses = INSTRUCTION_STATUSES.map((status) => ({ value: status, text: STATUS_LABELS[status].text }));
    res.status(list.problems.length ? 400 : 200).render('instruction/index', {
      ...list,
      // A tampered page link is no field of the form: said in an alert of its own.
      pageTitle: title,
      errors: list.problems.filter((p) => p.field !== 'apres'),
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
