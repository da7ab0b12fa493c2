/**
 * The life of an access request as a pure table: state × event → next state. Every transition runs in one
 * transaction with an event row (services); anything not in the table is refused.
 */
export type RequestStatus = 'draft' | 'submitted' | 'changes_requested' | 'validated' | 'refused' | 'archived' | 'revoked';
export type RequestEvent = 'submit' | 'request_changes' | 'validate' | 'refuse' | 'archive' | 'revoke';

const TRANSITIONS: Record<RequestStatus, Partial<Record<RequestEvent, RequestStatus>>> = {
  draft: { submit: 'submitted', archive: 'archived' },
  submitted: { request_changes: 'changes_requested', validate: 'validated', refuse: 'refused' },
  changes_requested: { submit: 'submitted', archive: 'archived' },
  validated: { revoke: 'revoked' },
  refused: {},
  archived: {},
  revoked: {},
};

export function nextStatus(status: RequestStatus, event: RequestEvent): RequestStatus | undefined {
  return TRANSITIONS[status][event];
}

/** The applicant may change the answers only while the request is a draft or sent back for changes. */
export function isEditable(status: RequestStatus): boolean {
  return status === 'draft' || status === 'changes_requested';
}

export const STATUS_LABELS: Record<RequestStatus, { text: string; badge: 'info' | 'new' | 'warning' | 'success' | 'error' }> = {
  draft: { text: 'Brouillon', badge: 'info' },
  submitted: { text: 'En cours d’instruction', badge: 'new' },
  changes_requested: { text: 'Modifications demandées', badge: 'warning' },
  validated: { text: 'Validée', badge: 'success' },
  refused: { text: 'Refusée', badge: 'error' },
  archived: { text: 'Archivée', badge: 'info' },
  revoked: { text: 'Révoquée', badge: 'error' },
};
