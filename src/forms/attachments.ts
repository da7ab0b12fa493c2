import { countsForLegalText, formatSize, isServable, MAX_ATTACHMENTS, SCAN_BADGES } from '../domain/attachments.ts';
import type { Attachment } from '../repositories/attachments.ts';

/** The file input of the legal step: the error summary links to it. */
export const UPLOAD_FIELD = 'pieces';

/** What adding a file gives: the attachment, or why it was refused (the messages below say it in French). */
export type AddOutcome =
  | { kind: 'added'; attachment: Attachment }
  | { kind: 'rejected'; reason: 'too-large' | 'not-pdf' | 'too-many' | 'locked'; name: string };

type Rejection = Extract<AddOutcome, { kind: 'rejected' }>;

/** What to tell the user about a refused file, naming it and saying what to do. */
export function rejectionMessage({ reason, name }: Rejection): string {
  switch (reason) {
    case 'too-large':
      return `Le fichier « ${name} » dépasse 10 Mo : choisissez un PDF de 10 Mo au plus, par exemple en l’enregistrant en qualité « écran »`;
    case 'not-pdf':
      return `Le fichier « ${name} » n’est pas un PDF : choisissez un document au format PDF, par exemple le texte enregistré depuis Légifrance`;
    case 'too-many':
      return `Le fichier « ${name} » n’est pas joint : ${MAX_ATTACHMENTS} fichiers au plus par demande. Supprimez un fichier joint pour en ajouter un autre`;
    case 'locked':
      return `Le fichier « ${name} » n’est pas joint : cette demande n’est plus modifiable`;
  }
}

export const NO_FILE_CHOSEN = 'Choisissez le fichier PDF à joindre, par exemple le texte de la délibération';
export const TOO_MANY_IN_ONE_GO = `Vous avez choisi plus de ${MAX_ATTACHMENTS} fichiers : les fichiers en trop ne sont pas joints. Une demande compte ${MAX_ATTACHMENTS} fichiers au plus`;
export const NOT_EDITABLE = 'Cette demande n’est plus modifiable : ses pièces jointes ne peuvent plus changer.';

export function addedNotice(names: string[]): string {
  return names.length === 1
    ? `Le fichier « ${names[0]} » est joint à la demande.`
    : `${names.length} fichiers sont joints à la demande : ${names.map((n) => `« ${n} »`).join(', ')}.`;
}

export function removedNotice(name: string): string {
  return `Le fichier « ${name} » est supprimé de la demande.`;
}

/**
 * An attachment as pages list it: its name, « PDF – 2,4 Mo », its antivirus status as a text badge, and where to
 * download it (`href`, under `base`: the applicant's request or its instruction page; only when it may be served: not while pending, never once infected).
 */
export function attachmentView(requestId: string, attachment: Attachment, base = `/demandes/${requestId}`) {
  const status = attachment.scanStatus;
  return {
    id: attachment.id,
    name: attachment.originalName,
    sizeLabel: formatSize(attachment.size),
    href: isServable(status) ? `${base}/pieces-jointes/${attachment.id}` : undefined,
    status,
    scan: SCAN_BADGES[status],
    infected: status === 'infected',
    countsForLegalText: countsForLegalText(status),
    refusal:
      status === 'infected'
        ? `Fichier refusé : un virus a été détecté (${attachment.scanDetail ?? 'nom inconnu'})`
        : undefined,
  };
}
