/**
 * The CSV export of the instructors' list, as a French spreadsheet opens it: its columns, and cells that a
 * spreadsheet would take for a formula neutralised (CSV injection). Pure.
 */
import { STATUS_LABELS, type RequestStatus } from './request-states.ts';

/** A cell starting with one of these is a formula to a spreadsheet (`=HYPERLINK(…)`, `+1+cmd|…`, `@SUM(…)`, a tab…). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The value a spreadsheet shows as text: a leading apostrophe before what could start a formula. */
export function neutralised(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type ExportRow = {
  id: string;
  title: string | null;
  status: RequestStatus;
  useCaseLabel: string;
  organisationName: string;
  siret: string;
  applicantName: string;
  applicantEmail: string;
  submittedAt: string;
  updatedAt: string;
  assigneeName: string | null;
};

export const EXPORT_COLUMNS: { header: string; value: (row: ExportRow) => string }[] = [
  { header: 'Numéro', value: (r) => r.id },
  { header: 'Intitulé', value: (r) => r.title ?? '' },
  { header: 'Statut', value: (r) => STATUS_LABELS[r.status].text },
  { header: 'Cas d’usage', value: (r) => r.useCaseLabel },
  { header: 'Organisation', value: (r) => r.organisationName },
  { header: 'SIRET', value: (r) => r.siret },
  { header: 'Demandeur', value: (r) => r.applicantName },
  { header: 'Adresse électronique du demandeur', value: (r) => r.applicantEmail },
  { header: 'Déposée le', value: (r) => r.submittedAt },
  { header: 'Modifiée le', value: (r) => r.updatedAt },
  { header: 'Attribuée à', value: (r) => r.assigneeName ?? '' },
];

/** One record of the CSV: every cell as text, neutralised. */
export function exportRecord(row: ExportRow): string[] {
  return EXPORT_COLUMNS.map((column) => neutralised(column.value(row)));
}

/** « demandes-2026-12-02.csv »: the day of the export in Paris. */
export function exportFileName(now: Date): string {
  const day = new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris' }).format(now);
  return `demandes-${day}.csv`;
}
