/**
 * The instructors' list as a URL: what each query parameter of `/instruction` means, checked, with a French message
 * for anything a person (or a tampered link) could send that the list cannot honour. Pure: no database.
 */
import { checkCalendarDate } from './calendar-date.ts';
import { LEGACY_STATUSES } from './legacy-dossiers.ts';
import type { RequestStatus } from './request-states.ts';

/**
 * What instruction sees: every request that was submitted at least once, whatever became of it (archived: withdrawn
 * by its applicant, or left six months without the changes asked).
 */
export const INSTRUCTION_STATUSES: RequestStatus[] = [
  'submitted',
  'changes_requested',
  'validated',
  'refused',
  'revoked',
  'archived',
];
export const ASSIGNMENTS = { moi: 'À moi', personne: 'À personne', autre: 'À quelqu’un d’autre' } as const;
export type Assignment = keyof typeof ASSIGNMENTS;
export const SORTS = { depot: 'Date de dépôt', modification: 'Dernière modification' } as const;
export type Sort = keyof typeof SORTS;
/** Where the requests come from: SignUp's own, or démarches simplifiées' dossiers made before 27/08/2019. */
export const ORIGINS = {
  signup: 'SignUp',
  'demarches-simplifiees': 'démarches simplifiées (avant le 27/08/2019)',
} as const;
export type Origin = keyof typeof ORIGINS;
export const PAGE_SIZE = 25;
export const SEARCH_MAX_LENGTH = 200;

/** Where the previous page stopped: the sort column in microseconds since 1970 and the request number. */
export type Cursor = { micros: string; id: string };

export type ListFilters = {
  status?: RequestStatus;
  useCase?: string;
  assignment?: Assignment;
  /** ISO calendar dates, both included. */
  from?: string;
  to?: string;
  search?: string;
  sort: Sort;
  after?: Cursor;
  /** démarches simplifiées' dossiers instead of SignUp's requests; their pages stop at a dossier number. */
  origin?: 'demarches-simplifiees';
  beforeNumber?: string;
};

/** The form as typed, shown back in the fields (also when something is wrong). */
export type ListForm = Record<'origine' | 'statut' | 'cas-usage' | 'attribution' | 'du' | 'au' | 'q' | 'tri', string>;

export type ListProblem = { field: keyof ListForm | 'apres'; message: string };

const CURSOR = /^(\d{1,17})\.(\d{1,18})$/;

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.micros}.${cursor.id}`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0] ?? '') : '';
}

function dateFilter(value: string, field: 'du' | 'au', label: string, problems: ListProblem[]): string | undefined {
  if (!value.trim()) return undefined;
  const checked = checkCalendarDate(value);
  if (checked.ok) return checked.iso;
  problems.push({ field, message: `${label} : écrivez la date au format JJ/MM/AAAA, par exemple 01/03/2027` });
  return undefined;
}

/** The list's filters from the query string, or the problems to show (the list is then not searched). */
export function parseListQuery(
  query: Record<string, unknown>,
  useCaseIds: ReadonlySet<string>,
): { form: ListForm; filters: ListFilters; problems: ListProblem[] } {
  const form: ListForm = {
    origine: text(query.origine),
    statut: text(query.statut),
    'cas-usage': text(query['cas-usage']),
    attribution: text(query.attribution),
    du: text(query.du),
    au: text(query.au),
    q: text(query.q),
    tri: text(query.tri),
  };
  const problems: ListProblem[] = [];
  const filters: ListFilters = { sort: 'depot' };
  if (form.origine && !(form.origine in ORIGINS))
    problems.push({ field: 'origine', message: 'Origine : choisissez une origine de la liste' });
  else if (form.origine === 'demarches-simplifiees') filters.origin = form.origine;
  // démarches simplifiées' dossiers have their own statuses (drafts among them; never sent back nor revoked).
  const known: readonly string[] = filters.origin ? LEGACY_STATUSES : INSTRUCTION_STATUSES;
  if (form.statut && !known.includes(form.statut))
    problems.push({ field: 'statut', message: 'Statut : choisissez un statut de la liste' });
  else if (form.statut) filters.status = form.statut as RequestStatus;
  if (form['cas-usage'] && !useCaseIds.has(form['cas-usage']))
    problems.push({ field: 'cas-usage', message: 'Cas d’usage : choisissez un cas d’usage de la liste' });
  else if (form['cas-usage']) filters.useCase = form['cas-usage'];
  if (form.attribution && !(form.attribution in ASSIGNMENTS))
    problems.push({ field: 'attribution', message: 'Attribution : choisissez une option de la liste' });
  else if (form.attribution) filters.assignment = form.attribution as Assignment;
  if (form.tri && !(form.tri in SORTS))
    problems.push({ field: 'tri', message: 'Tri : choisissez un ordre de la liste' });
  else if (form.tri) filters.sort = form.tri as Sort;
  filters.from = dateFilter(form.du, 'du', 'Déposée à partir du', problems);
  filters.to = dateFilter(form.au, 'au', 'Déposée jusqu’au', problems);
  if (filters.from && filters.to && filters.from > filters.to)
    problems.push({ field: 'au', message: 'Déposée jusqu’au : choisissez une date après celle de début' });
  const search = form.q.replace(/\s+/g, ' ').trim();
  if (search.length > SEARCH_MAX_LENGTH) {
    problems.push({ field: 'q', message: `Recherche : ${SEARCH_MAX_LENGTH} caractères au plus` });
    form.q = form.q.slice(0, SEARCH_MAX_LENGTH);
  } else if (search) filters.search = search;
  const after = text(query.apres);
  const match = CURSOR.exec(after);
  if (after && filters.origin && /^\d{1,15}$/.test(after)) filters.beforeNumber = after;
  else if (after && !filters.origin && match) filters.after = { micros: match[1]!, id: match[2]! };
  else if (after)
    problems.push({ field: 'apres', message: 'Le lien de page suivante est incomplet : revenez à la première page' });
  return { form, filters, problems };
}

/**
 * Whether the counts per status can be read from the counters the database keeps (by status, use case and assignee):
 * yes unless a date range or a search narrows the list, whose matches are then counted.
 */
export function countedByCounters(filters: ListFilters): boolean {
  return !filters.from && !filters.to && !filters.search;
}

/** The query string of the same list (filters kept), for the next page or another sort. */
export function listQuery(form: ListForm, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...form, ...extra })) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * What the live region says after the list changed: how many requests the filters find (more than `sample`: said as
 * such, the counts then being those of the most recent ones).
 */
export function resultAnnouncement(
  counts: Partial<Record<RequestStatus, number>>,
  status: RequestStatus | undefined,
  sampled: boolean,
  sample: number,
): string {
  const format = (n: number) => new Intl.NumberFormat('fr-FR').format(n);
  if (sampled) return `Plus de ${format(sample)} demandes correspondent à ces filtres`;
  const total = status ? (counts[status] ?? 0) : Object.values(counts).reduce((sum, n) => sum + n, 0);
  if (total === 0) return 'Aucune demande ne correspond à ces critères';
  return total === 1 ? '1 demande trouvée' : `${format(total)} demandes trouvées`;
}
