/**
 * Dossiers of démarches simplifiées (before 27/08/2019) as SignUp keeps them: their state mapped onto the requests'
 * own statuses, their dates read from either export's format, and the checks a dossier must pass to be imported.
 * Pure: no database, no file.
 */
import { createHash } from 'node:crypto';
import { parisInstant } from './calendar-date.ts';
import { normaliseEmail } from './email.ts';
import { checkSiret } from './siret.ts';

export type DsState = 'brouillon' | 'en_construction' | 'en_instruction' | 'accepte' | 'refuse' | 'sans_suite';
export type LegacyStatus = 'draft' | 'submitted' | 'validated' | 'refused' | 'archived';

/** démarches simplifiées' states onto SignUp's: both « en construction » and « en instruction » wait for a decision. */
export const LEGACY_STATUS_OF: Record<DsState, LegacyStatus> = {
  brouillon: 'draft',
  en_construction: 'submitted',
  en_instruction: 'submitted',
  accepte: 'validated',
  refuse: 'refused',
  sans_suite: 'archived',
};

/** SignUp's statuses a dossier may have, in the order the lists count them. */
export const LEGACY_STATUSES: LegacyStatus[] = ['draft', 'submitted', 'validated', 'refused', 'archived'];

/** How each state reads on démarches simplifiées, shown beside SignUp's status. */
export const DS_STATE_LABELS: Record<DsState, string> = {
  brouillon: 'Brouillon',
  en_construction: 'En construction',
  en_instruction: 'En instruction',
  accepte: 'Accepté',
  refuse: 'Refusé',
  sans_suite: 'Classé sans suite',
};

export type LegacyField = { label: string; value: string };

export type LegacyRecord = {
  number: number;
  dsState: DsState;
  status: LegacyStatus;
  email: string | null;
  siret: string | null;
  depositedAt: string | null;
  instructionStartedAt: string | null;
  processedAt: string | null;
  lastModifiedAt: string | null;
  motivation: string | null;
  fields: LegacyField[];
  /** The node or the row as exported. */
  original: unknown;
  source: 'api' | 'tableur';
};

export type RecordCheck = { ok: true; record: LegacyRecord } | { ok: false; problems: string[] };

const fold = (value: string) =>
  value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** `en_construction` (the API) or « En construction » (the spreadsheet); « Classé sans suite » too. */
export function dsStateOf(value: string): DsState | undefined {
  const folded = fold(value).replace(/^classe_/, '');
  return folded in LEGACY_STATUS_OF ? (folded as DsState) : undefined;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
// The spreadsheet: « 2019-03-14 10:23:45 +0100 » (with its offset), or a wall clock read as Paris time.
const SPACED = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?(?:\s*([+-]\d{2}):?(\d{2})|\s*UTC|Z)?$/;
const FRENCH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(?:à\s+)?(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/;

function validParts(y: number, m: number, d: number, hh: number, mm: number, ss: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === m - 1 &&
    date.getUTCDate() === d &&
    hh < 24 &&
    mm < 60 &&
    ss < 60
  );
}

/** An instant as either export writes it (ISO 8601 with an offset; « AAAA-MM-JJ hh:mm:ss +0100 »; « JJ/MM/AAAA hh:mm »). */
export function parseDsDate(text: string): { ok: true; iso: string } | { ok: false } {
  const value = text.trim();
  if (ISO_WITH_OFFSET.test(value)) {
    const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
    const [hh, mm] = value.slice(11, 16).split(':').map(Number) as [number, number];
    if (Number.isNaN(date.getTime()) || !validParts(y, m, d, hh, mm, 0)) return { ok: false };
    return { ok: true, iso: date.toISOString() };
  }
  const spaced = SPACED.exec(value);
  const french = FRENCH.exec(value);
  const parts = spaced
    ? [spaced[1], spaced[2], spaced[3], spaced[4], spaced[5], spaced[6]]
    : french
      ? [french[3], french[2], french[1], french[4], french[5], french[6]]
      : undefined;
  if (!parts) return { ok: false };
  const [y, m, d, hh, mm, ss] = parts.map((p) => Number(p ?? 0)) as [number, number, number, number, number, number];
  if (!validParts(y, m, d, hh, mm, ss)) return { ok: false };
  const day = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (spaced && (spaced[7] || /(UTC|Z)$/.test(value))) {
    const [oh, om] = spaced[7] ? [Number(spaced[7]), Number(spaced[8])] : [0, 0];
    const offsetMinutes = oh * 60 + Math.sign(oh || 1) * om;
    return { ok: true, iso: new Date(Date.UTC(y, m - 1, d, hh, mm, ss) - offsetMinutes * 60_000).toISOString() };
  }
  return { ok: true, iso: new Date(parisInstant(day, hh * 60 + mm).getTime() + ss * 1000).toISOString() };
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** What every export gives, checked: the dossier becomes a record, or the reasons it is not imported (in French). */
export type RawDossier = {
  number: string;
  state: string;
  email?: string;
  siret?: string;
  dates: Record<'depositedAt' | 'instructionStartedAt' | 'processedAt' | 'lastModifiedAt', string | undefined>;
  motivation?: string;
  fields: LegacyField[];
  original: unknown;
  source: 'api' | 'tableur';
};

/** The name of each date in the spreadsheet's headers, for the messages. */
export const DATE_LABELS = {
  depositedAt: 'Déposé le',
  instructionStartedAt: 'Passé en instruction le',
  processedAt: 'Traité le',
  lastModifiedAt: 'Dernière mise à jour le',
} as const;

function checkedDates(raw: RawDossier, problems: string[]) {
  const dates = {} as Record<keyof RawDossier['dates'], string | null>;
  for (const key of Object.keys(DATE_LABELS) as (keyof typeof DATE_LABELS)[]) {
    const text = raw.dates[key]?.trim();
    const parsed = text ? parseDsDate(text) : undefined;
    if (parsed && !parsed.ok) problems.push(`date « ${text} » illisible dans « ${DATE_LABELS[key]} »`);
    dates[key] = parsed?.ok ? parsed.iso : null;
  }
  return dates;
}

/**
 * Text PostgreSQL cannot store: a NUL character, or half of a UTF-16 pair (a JSON escape such as \ud800 alone).
 * Such a dossier is refused with the others' problems rather than failing its whole batch.
 */
// eslint-disable-next-line no-control-regex -- the NUL character is exactly what is looked for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([key, inner]) => UNSTORABLE.test(key) || hasUnstorableText(inner));
  return false;
}

export function checkDossier(raw: RawDossier): RecordCheck {
  const problems: string[] = [];
  if (hasUnstorableText(raw.original) || hasUnstorableText(raw.fields))
    problems.push('caractère nul ou invalide dans le texte du dossier');
  const numberText = raw.number.trim();
  const number = /^\d{1,15}$/.test(numberText) ? Number(numberText) : 0;
  if (number <= 0) problems.push(`numéro de dossier « ${numberText} » invalide (un nombre entier positif)`);
  const dsState = dsStateOf(raw.state);
  if (!dsState) problems.push(`état « ${raw.state.trim()} » inconnu`);
  const email = raw.email?.trim() ? normaliseEmail(raw.email) : null;
  if (email && !EMAIL.test(email)) problems.push(`adresse électronique « ${raw.email?.trim()} » invalide`);
  const siretText = raw.siret?.trim();
  const siret = siretText ? checkSiret(siretText) : undefined;
  if (siret && !siret.ok) problems.push(`SIRET « ${siretText} » invalide`);
  const dates = checkedDates(raw, problems);
  if (problems.length || !dsState) return { ok: false, problems };
  return {
    ok: true,
    record: {
      number,
      dsState,
      status: LEGACY_STATUS_OF[dsState],
      email,
      siret: siret?.ok ? siret.siret : null,
      ...dates,
      motivation: raw.motivation?.trim() ? raw.motivation : null,
      fields: raw.fields,
      original: raw.original,
      source: raw.source,
    },
  };
}

const byFirst = <T extends [string, unknown] | { label: string }>(a: T, b: T) => {
  const [x, y] = Array.isArray(a) ? [a[0], (b as [string, unknown])[0]] : [a.label, (b as { label: string }).label];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Tells a re-import of the same export (same hash: nothing to write) from a different one. A row's cells and the
 * fields are taken by name: the same dossier in a sheet whose columns were put in another order is the same dossier.
 */
export function contentHash(record: LegacyRecord): string {
  const original = Array.isArray(record.original)
    ? [...(record.original as [string, string][])].sort(byFirst)
    : record.original;
  const fields = [...record.fields].sort(byFirst);
  return createHash('sha256')
    .update(JSON.stringify({ ...record, original, fields }))
    .digest('hex');
}

/**
 * What the search reads: the number, the email, the SIRET, the motivation and the fields' values (the first 2,000
 * characters).
 */
export function searchTextOf(record: LegacyRecord): string {
  const values = record.fields.map((f) => f.value).join(' ');
  return [String(record.number), record.email, record.siret, record.motivation, values]
    .filter(Boolean)
    .join(' ')
    .slice(0, 2000);
}
