/**
 * The decisions instructors take on a request, as data: the event of the state table each one sends, what its
 * confirmation page asks (a reason, the fields to change), and the French check of what was posted. Pure.
 */
import { eventsFor, type RequestEvent, type RequestStatus } from './request-states.ts';

export type DecisionKind = 'valider' | 'refuser' | 'modifications' | 'revoquer';

export type Decision = {
  event: RequestEvent;
  /** The page's title and its button. */
  title: string;
  button: string;
  /** What the reason is for, as the applicant will read it; `required`: the decision is refused without one. */
  reasonLabel: string;
  reasonHint: string;
  reasonRequired: boolean;
  /** Said on the request's page once the decision is recorded. */
  done: string;
  /** The instructor ticks the fields the applicant must change. */
  flagsFields?: true;
  /** The button's look: a refusal or a revocation is not the page's main path. */
  secondary?: true;
};

export const DECISIONS: Record<DecisionKind, Decision> = {
  valider: {
    event: 'validate',
    title: 'Valider la demande',
    button: 'Valider la demande',
    reasonLabel: 'Message au demandeur',
    reasonHint: 'Joint au courriel qui annonce la validation, par exemple une précision sur les données ouvertes',
    reasonRequired: false,
    done: 'La demande est validée. Le demandeur en est informé par courriel.',
  },
  refuser: {
    event: 'refuse',
    title: 'Refuser la demande',
    button: 'Refuser la demande',
    reasonLabel: 'Motif du refus',
    reasonHint: 'Envoyé au demandeur : dites pourquoi, et ce qui permettrait une nouvelle demande',
    reasonRequired: true,
    done: 'La demande est refusée. Le demandeur reçoit le motif par courriel.',
    secondary: true,
  },
  modifications: {
    event: 'request_changes',
    title: 'Demander des modifications',
    button: 'Demander les modifications',
    reasonLabel: 'Ce qu’il faut modifier',
    reasonHint: 'Envoyé au demandeur, qui verra aussi les champs cochés ci-dessous signalés dans sa demande',
    reasonRequired: true,
    done: 'Les modifications sont demandées. Le demandeur en est informé par courriel.',
    flagsFields: true,
  },
  revoquer: {
    event: 'revoke',
    title: 'Révoquer l’habilitation',
    button: 'Révoquer l’habilitation',
    reasonLabel: 'Motif de la révocation',
    reasonHint: 'Envoyé au demandeur et aux contacts de la demande',
    reasonRequired: true,
    done: 'L’habilitation est révoquée. Le demandeur et les contacts en sont informés par courriel.',
    secondary: true,
  },
};

export const DECISION_KINDS = Object.keys(DECISIONS) as DecisionKind[];
export const REASON_MAX_LENGTH = 5000;

export function isDecisionKind(value: string): value is DecisionKind {
  return Object.hasOwn(DECISIONS, value);
}

/** The decisions an instructor may take on a request in `status`: the state table's instructor events. */
export function decisionsFor(status: RequestStatus): DecisionKind[] {
  const events = eventsFor(status, 'instructor');
  return DECISION_KINDS.filter((kind) => events.includes(DECISIONS[kind].event));
}

/** Fields the applicant must change, by step: what « Demander des modifications » records and the wizard shows. */
export type FlaggedFields = Record<string, string[]>;

type StepFields = { slug: string; fields: { name: string }[] };

export type DecisionInput = { reason: string; flagged: FlaggedFields; version: number };
export type DecisionProblem = { field: 'motif' | 'champs' | 'version'; message: string };

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The ticked fields as `step.field` values, kept only when the step has that field. */
function flaggedFrom(value: unknown, steps: readonly StepFields[]): FlaggedFields {
  const ticked = new Set(([] as unknown[]).concat(value ?? []).filter((v): v is string => typeof v === 'string'));
  const flagged: FlaggedFields = {};
  for (const step of steps) {
    const names = step.fields.map((f) => f.name).filter((name) => ticked.has(`${step.slug}.${name}`));
    if (names.length) flagged[step.slug] = names;
  }
  return flagged;
}

/** What a decision's confirmation page posted, checked: the reason, the ticked fields, the version the page showed. */
export function parseDecision(
  kind: DecisionKind,
  body: Record<string, unknown>,
  steps: readonly StepFields[],
): { input: DecisionInput; problems: DecisionProblem[] } {
  const decision = DECISIONS[kind];
  const reason = text(body.motif).replace(/\r\n/g, '\n').trim();
  const flagged = decision.flagsFields ? flaggedFrom(body.champs, steps) : {};
  const version = /^\d{1,9}$/.test(text(body.version)) ? Number(body.version) : 0;
  const problems: DecisionProblem[] = [];
  if (decision.reasonRequired && reason === '')
    problems.push({
      field: 'motif',
      message: `${decision.reasonLabel} : écrivez-le, le demandeur le recevra par courriel`,
    });
  if (reason.length > REASON_MAX_LENGTH)
    problems.push({
      field: 'motif',
      message: `${decision.reasonLabel} : ${REASON_MAX_LENGTH} caractères au plus (vous en avez écrit ${reason.length})`,
    });
  if (decision.flagsFields && Object.keys(flagged).length === 0)
    problems.push({ field: 'champs', message: 'Cochez au moins un champ que le demandeur doit modifier' });
  if (version === 0)
    problems.push({
      field: 'version',
      message: 'La page envoyée est incomplète : rouvrez la demande depuis la liste, puis reprenez la décision',
    });
  return { input: { reason, flagged, version }, problems };
}
