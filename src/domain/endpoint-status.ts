/**
 * « État des endpoints »: what a probe's result means, and how people read it. A probe that fails, times out or gets
 * another HTTP status than expected says « indisponible »; one slower than the threshold, « dégradé »; otherwise
 * « opérationnel ». Text, never colour alone: the badge carries the word.
 */
export type ProbeState = 'up' | 'slow' | 'down';
export type EndpointState = ProbeState | 'unknown';

export type ProbeResult =
  { kind: 'answered'; status: number; durationMs: number } | { kind: 'failed'; durationMs: number; detail: string };

export type ProbeSettings = { expectedStatus: number; slowMs: number };

export function probeState(result: ProbeResult, settings: ProbeSettings): ProbeState {
  if (result.kind === 'failed' || result.status !== settings.expectedStatus) return 'down';
  return result.durationMs > settings.slowMs ? 'slow' : 'up';
}

export const ENDPOINT_STATE_LABELS: Record<EndpointState, { text: string; badge: string }> = {
  up: { text: 'Opérationnel', badge: 'success' },
  slow: { text: 'Dégradé', badge: 'warning' },
  down: { text: 'Indisponible', badge: 'error' },
  unknown: { text: 'Pas encore vérifié', badge: 'info' },
};

/** The share of probes that found the endpoint answering (slow counts as answering), in per cent, or undefined. */
export function availability(answered: number, total: number): number | undefined {
  return total > 0 ? (100 * answered) / total : undefined;
}

/** « 99,95 % », « 100 % », or « – » without any probe. */
export function availabilityText(value: number | undefined): string {
  if (value === undefined) return '–';
  const rounded = Math.floor(value * 100) / 100; // never round 99.996 up to 100
  return `${rounded.toLocaleString('fr-FR', { maximumFractionDigits: 2 })}\u00a0%`;
}

/** Probes are kept this long: the 30-day availability and a day's margin. */
export const CHECK_RETENTION_DAYS = 31;
