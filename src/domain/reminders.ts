import type { RequestStatus } from './request-states.ts';

/**
 * When a request left waiting for its applicant gets a reminder, and when it is archived. Pure: the clock is an
 * argument. « Untouched » counts from the request's last change (a save, a transition): an applicant still editing
 * is never reminded nor archived.
 */
export type ReminderKind = 'draft' | 'changes';

export type ReminderRule = { kind: ReminderKind; status: RequestStatus; afterDays: number; template: string };

export const REMINDERS: readonly ReminderRule[] = [
  { kind: 'draft', status: 'draft', afterDays: 15, template: 'rappel-brouillon' },
  { kind: 'changes', status: 'changes_requested', afterDays: 30, template: 'rappel-modifications' },
];

/**
 * A reminder is sent while the request has been untouched for `afterDays` up to this many days more: a worker that
 * was stopped for a few days catches up, but the first run after a deployment does not remind people of drafts they
 * left years ago.
 */
export const CATCH_UP_DAYS = 7;

/** A request sent back for changes and untouched for this many months is archived. */
export const ARCHIVE_AFTER_MONTHS = 6;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The last changes (`updated_at`) that make a request due for `rule`'s reminder at `now`: from ≤ t < before. */
export function reminderWindow(rule: ReminderRule, now: Date): { from: Date; before: Date } {
  return {
    from: new Date(now.getTime() - (rule.afterDays + CATCH_UP_DAYS) * DAY_MS),
    before: new Date(now.getTime() - rule.afterDays * DAY_MS),
  };
}

/** `months` calendar months after `date` (the 31st becomes the last day of a shorter month). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** A request sent back for changes whose last change is before this date is archived at `now`. */
export function archiveBefore(now: Date): Date {
  return addMonths(now, -ARCHIVE_AFTER_MONTHS);
}

/** The day a request sent back for changes and last changed at `updatedAt` will be archived if nothing happens. */
export function archiveDate(updatedAt: Date): Date {
  return addMonths(updatedAt, ARCHIVE_AFTER_MONTHS);
}
