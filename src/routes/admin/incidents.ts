import { Router, type Response } from 'express';
import { parisDateAndTime } from '../../domain/calendar-date.ts';
import type { IncidentForm } from '../../forms/incidents.ts';
import type { FieldError } from '../../forms/validation.ts';
import { currentUserOf } from '../../middleware/auth.ts';
import type { Incident } from '../../repositories/endpoint-status.ts';
import type { Services } from '../../services/index.ts';

/** The form's values of a saved incident, as typed in Paris time. */
function formOf(incident: Incident): IncidentForm {
  const start = parisDateAndTime(incident.startsAt);
  const end = incident.endsAt ? parisDateAndTime(incident.endsAt) : { date: '', time: '' };
  return {
    titre: incident.title,
    message: incident.message,
    'debut-date': start.date,
    'debut-heure': start.time,
    'fin-date': end.date,
    'fin-heure': end.time,
    endpoints: incident.endpointIds,
  };
}

/** `/admin/incidents`: incidents of the endpoints, posted by admins for `/statut` and the dashboards (audited). */
export function incidentRoutes(services: Services): Router {
  const router = Router();

  async function formPage(
    res: Response,
    incident: Incident | undefined,
    values: Partial<IncidentForm>,
    problems: FieldError[] = [],
  ) {
    const endpoints = await services.endpointStatus.endpoints();
    res.status(problems.length ? 422 : 200).render('admin/incident', {
      incident,
      values,
      endpointItems: endpoints.map((e) => ({ value: e.id, text: e.label })),
      errors: problems,
      errorFor: Object.fromEntries(problems.map((p) => [p.field, p.message])),
    });
  }

  router.get('/admin/incidents', async (req, res) => {
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('admin/incidents', { incidents: await services.endpointStatus.incidents(), notice, now: new Date() });
  });

  router.get('/admin/incidents/nouveau', async (_req, res) => {
    const now = parisDateAndTime(new Date());
    await formPage(res, undefined, { 'debut-date': now.date, 'debut-heure': now.time, endpoints: [] });
  });

  router.post('/admin/incidents', async (req, res) => {
    const saved = await services.endpointStatus.saveIncident(currentUserOf(res), req.body as Record<string, unknown>);
    if (saved.kind === 'invalid') return formPage(res, undefined, saved.form, saved.problems);
    req.session.notice = 'L’incident est publié sur la page d’état des services.';
    res.redirect(303, '/admin/incidents');
  });

  router.get('/admin/incidents/:id', async (req, res, next) => {
    const incident = await services.endpointStatus.findIncident(req.params.id);
    if (!incident) return next();
    await formPage(res, incident, formOf(incident));
  });

  router.post('/admin/incidents/:id', async (req, res, next) => {
    const incident = await services.endpointStatus.findIncident(req.params.id);
    if (!incident) return next();
    const saved = await services.endpointStatus.saveIncident(
      currentUserOf(res),
      req.body as Record<string, unknown>,
      incident.id,
    );
    if (saved.kind === 'invalid') return formPage(res, incident, saved.form, saved.problems);
    req.session.notice = 'L’incident est mis à jour.';
    res.redirect(303, '/admin/incidents');
  });

  router.post('/admin/incidents/:id/clore', async (req, res, next) => {
    if (!(await services.endpointStatus.endIncident(currentUserOf(res), req.params.id))) return next();
    req.session.notice = 'L’incident est clos.';
    res.redirect(303, '/admin/incidents');
  });
  return router;
}
