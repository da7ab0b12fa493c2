import { checkCalendarDate, checkClockTime, parisInstant } from '../domain/calendar-date.ts';
import type { IncidentInput } from '../repositories/endpoint-status.ts';
import type { FieldError } from './validation.ts';

/** What an admin typed in the incident form, kept as typed for a 422. */
export type IncidentForm = {
  titre: string;
  message: string;
  'debut-date': string;
  'debut-heure': string;
  'fin-date': string;
  'fin-heure': string;
  endpoints: string[];
};

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max + 1) : '');

export function incidentForm(body: Record<string, unknown>): IncidentForm {
  const endpoints = body.endpoints;
  return {
    titre: text(body.titre, 200),
    message: text(body.message, 5000),
    'debut-date': text(body['debut-date'], 20),
    'debut-heure': text(body['debut-heure'], 10),
    'fin-date': text(body['fin-date'], 20),
    'fin-heure': text(body['fin-heure'], 10),
    endpoints: (Array.isArray(endpoints) ? endpoints : endpoints === undefined ? [] : [endpoints]).filter(
      (e): e is string => typeof e === 'string',
    ),
  };
}

function instant(form: IncidentForm, which: 'debut' | 'fin', problems: FieldError[]): Date | null | undefined {
  const date = form[`${which}-date`];
  const time = form[`${which}-heure`];
  const what = which === 'debut' ? 'du début' : 'de la fin';
  if (which === 'fin' && !date && !time) return null;
  const day = checkCalendarDate(date);
  if (!day.ok) {
    problems.push({
      field: `${which}-date`,
      message: date
        ? `La date ${what} n’existe pas ou n’est pas au format JJ/MM/AAAA, par exemple 03/12/2026`
        : `Saisissez la date ${what}, par exemple 03/12/2026`,
    });
    return undefined;
  }
  const minutes = checkClockTime(time);
  if (minutes === undefined) {
    problems.push({
      field: `${which}-heure`,
      message: time
        ? `L’heure ${what} doit être au format HH:MM, par exemple 14:30`
        : `Saisissez l’heure ${what}, par exemple 14:30`,
    });
    return undefined;
  }
  return parisInstant(day.iso, minutes);
}

/** The incident to save, or the problems with the form, each on its field (heure de Paris). */
export function checkIncident(
  form: IncidentForm,
  knownEndpoints: Set<string>,
): { input: IncidentInput; problems: [] } | { input?: undefined; problems: FieldError[] } {
  const problems: FieldError[] = [];
  if (!form.titre) problems.push({ field: 'titre', message: 'Saisissez le titre de l’incident' });
  else if (form.titre.length > 200)
    problems.push({ field: 'titre', message: 'Le titre ne doit pas dépasser 200 caractères' });
  if (!form.message)
    problems.push({ field: 'message', message: 'Saisissez le message, ce que les utilisateurs doivent savoir' });
  else if (form.message.length > 5000)
    problems.push({ field: 'message', message: 'Le message ne doit pas dépasser 5\u202f000 caractères' });
  const startsAt = instant(form, 'debut', problems);
  const endsAt = instant(form, 'fin', problems);
  if (startsAt && endsAt && endsAt <= startsAt)
    problems.push({ field: 'fin-date', message: 'La fin de l’incident doit être après son début' });
  if (form.endpoints.some((e) => !knownEndpoints.has(e)))
    problems.push({ field: 'endpoints', message: 'Choisissez les endpoints concernés dans la liste' });
  if (problems.length || !startsAt || endsAt === undefined) return { problems };
  return {
    input: { title: form.titre, message: form.message, startsAt, endsAt, endpointIds: form.endpoints },
    problems: [],
  };
}
