/**
 * The life of an access request as a pure table: for each state, whether the applicant may still change the answers,
 * whether it can be copied into a new draft, and which events lead where (and who may send them). Everything else
 * reads this table: the transition use case (services/request-transitions.ts), the repositories (editable states),
 * the pages (which buttons to show). Anything not in the table is refused.
 */
export type RequestStatus =
  'draft' | 'submitted' | 'changes_requested' | 'validated' | 'refused' | 'archived' | 'revoked';
export type RequestEvent = 'submit' | 'request_changes' | 'validate' | 'refuse' | 'archive' | 'expire' | 'revoke';
/**
 * Who sends an event: the applicant (a member of the request's organisation), an instructor, or the service itself
 * (the worker's reminders archive a request left waiting for changes).
 */
export type ActorRole = 'applicant' | 'instructor' | 'system';

type StateRow = { editable: boolean; copyable: boolean; on: Partial<Record<RequestEvent, RequestStatus>> };

const STATES: Record<RequestStatus, StateRow> = {
  draft: { editable: true, copyable: false, on: { submit: 'submitted', archive: 'archived' } },
  submitted: {
    editable: false,
    copyable: false,
    on: { request_changes: 'changes_requested', validate: 'validated', refuse: 'refused' },
  },
  changes_requested: {
    editable: true,
    copyable: false,
    on: { submit: 'submitted', archive: 'archived', expire: 'archived' },
  },
  validated: { editable: false, copyable: true, on: { revoke: 'revoked' } },
  refused: { editable: false, copyable: true, on: {} },
  archived: { editable: false, copyable: false, on: {} },
  revoked: { editable: false, copyable: false, on: {} },
};

/**
 * Who may send each event, the timestamp column it sets besides `updated_at`, and whether its event row keeps the
 * answers as they were (`snapshot`: each submission, so that instruction sees what changed since the previous one).
 */
export const EVENTS: Record<RequestEvent, { by: ActorRole; stamp?: 'submitted_at'; snapshot?: true }> = {
  submit: { by: 'applicant', stamp: 'submitted_at', snapshot: true },
  archive: { by: 'applicant' },
  expire: { by: 'system' },
  request_changes: { by: 'instructor' },
  validate: { by: 'instructor' },
  refuse: { by: 'instructor' },
  revoke: { by: 'instructor' },
};

export const REQUEST_STATUSES = Object.keys(STATES) as RequestStatus[];

export function nextStatus(status: RequestStatus, event: RequestEvent): RequestStatus | undefined {
  return STATES[status].on[event];
}

/** The states an event may start from: what a guarded UPDATE checks. */
export function statesAllowing(event: RequestEvent): RequestStatus[] {
  return REQUEST_STATUSES.filter((status) => nextStatus(status, event) !== undefined);
}

/** The states an event leads to (one per event today): a request found there already had the event (a replay). */
export function statesAfter(event: RequestEvent): RequestStatus[] {
  return [...new Set(statesAllowing(event).map((status) => nextStatus(status, event)!))];
}

/** The applicant may change the answers only while the request is a draft or sent back for changes. */
export function isEditable(status: RequestStatus): boolean {
  return STATES[status].editable;
}

export const EDITABLE_STATUSES = REQUEST_STATUSES.filter(isEditable);

/** Validated or refused requests can be copied into a new draft of the same organisation. */
export function isCopyable(status: RequestStatus): boolean {
  return STATES[status].copyable;
}

/** The events `role` may send on a request in `status` (the buttons a page offers). */
export function eventsFor(status: RequestStatus, role: ActorRole): RequestEvent[] {
  return (Object.keys(STATES[status].on) as RequestEvent[]).filter((event) => EVENTS[event].by === role);
}

export const STATUS_LABELS: Record<
  RequestStatus,
  { text: string; badge: 'info' | 'new' | 'warning' | 'success' | 'error' }
> = {
  draft: { text: 'Brouillon', badge: 'info' },
  submitted: { text: 'En cours d’instruction', badge: 'new' },
  changes_requested: { text: 'Modifications demandées', badge: 'warning' },
  validated: { text: 'Validée', badge: 'success' },
  refused: { text: 'Refusée', badge: 'error' },
  archived: { text: 'Archivée', badge: 'info' },
  revoked: { text: 'Révoquée', badge: 'error' },
};
