/**
 * A request's history as sentences: what each event row means, in French, for the instruction timeline and the
 * applicant's page. Pure.
 */
export type TimelineDetails = Record<string, unknown>;

const PLAIN: Record<string, string> = {
  changes_requested: 'Modifications demandées',
  validated: 'Demande validée',
  refused: 'Demande refusée',
  revoked: 'Habilitation révoquée',
  archived: 'Demande archivée',
  note: 'Note interne ajoutée',
};

export function eventText(kind: string, details: TimelineDetails): string {
  if (kind === 'created')
    return details.copiedFrom
      ? `Brouillon créé (copie de la demande n° ${String(details.copiedFrom)})`
      : 'Brouillon créé';
  if (kind === 'submitted')
    return details.from === 'changes_requested' ? 'Demande modifiée et soumise à nouveau' : 'Demande soumise';
  if (kind === 'attachment_added' || kind === 'attachment_deleted')
    return `Pièce jointe « ${String(details.name ?? '')} » ${kind === 'attachment_added' ? 'ajoutée' : 'supprimée'}`;
  if (kind === 'assigned') {
    if (!details.assigneeName) return 'Demande libérée : attribuée à personne';
    return details.self
      ? `Demande prise en charge par ${String(details.assigneeName)}`
      : `Demande attribuée à ${String(details.assigneeName)}`;
  }
  return PLAIN[kind] ?? kind;
}

/** Events that decide: the page of a decision refused because another came first names the latest of them. */
export const DECISION_EVENT_KINDS = ['changes_requested', 'validated', 'refused', 'revoked', 'submitted', 'archived'];
