import type { Knex } from 'knex';
import { ARCHIVE_AFTER_MONTHS, REMINDERS, archiveBefore, archiveDate, reminderWindow } from '../domain/reminders.ts';
import type { ReminderKind } from '../domain/reminders.ts';
import { requestRecipients } from '../repositories/instruction-detail.ts';
import { dueReminders, recordReminder, requestsToArchive } from '../repositories/reminders.ts';
import { findRequest } from '../repositories/requests.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from './emails.ts';
import { requestTransitions } from './request-transitions.ts';

/** Requests handled per query: a run goes through every due request batch after batch, each in its own transaction. */
const BATCH = 200;

export type ReminderRun = { reminded: Record<ReminderKind, number>; archived: number };

/**
 * Reminds applicants of the requests that wait for them, and archives the ones sent back for changes and left
 * untouched for months. `run(now)` takes the clock as an argument (the cron's timestamp, a test's date). Idempotent:
 * a reminder is written with its email in one transaction, once per request, kind and version; an archive goes
 * through the transition use case, which does nothing on a request already archived.
 */
export function reminderService(db: Knex, mail: Mailer, logger: Logger) {
  const transition = requestTransitions(mail);

  async function remind(kind: ReminderKind, now: Date): Promise<number> {
    const rule = REMINDERS.find((r) => r.kind === kind)!;
    const window = reminderWindow(rule, now);
    let sent = 0;
    for (;;) {
      const due = await dueReminders(db, rule, window, BATCH);
      let done = 0;
      for (const waiting of due) {
        const wrote = await db.transaction(async (trx) => {
          if (!(await recordReminder(trx, { requestId: waiting.id, rule, version: waiting.version, sentAt: now })))
            return false;
          const request = (await findRequest(trx, waiting.id))!;
          const { applicant } = await requestRecipients(trx, waiting.id);
          await mail(trx, rule.template, applicant.email, {
            request,
            user: applicant,
            archiveOn: rule.kind === 'changes' ? archiveDate(waiting.updatedAt) : undefined,
          });
          return true;
        });
        if (wrote) done += 1;
      }
      sent += done;
      // A batch that wrote nothing means its requests changed or were reminded meanwhile: stop rather than loop.
      if (due.length < BATCH || done === 0) return sent;
    }
  }

  async function archive(now: Date): Promise<number> {
    const before = archiveBefore(now);
    let archived = 0;
    for (;;) {
      const due = await requestsToArchive(db, before, BATCH);
      let done = 0;
      for (const waiting of due) {
        const outcome = await db.transaction(async (trx) => {
          const request = await findRequest(trx, waiting.id);
          if (!request) return undefined; // deleted meanwhile
          return transition(
            trx,
            request,
            'expire',
            { as: 'system' },
            {
              expectedVersion: waiting.version,
              reason: `Archivage automatique après ${ARCHIVE_AFTER_MONTHS}\u00a0mois sans modification du demandeur.`,
              data: { untouchedMonths: ARCHIVE_AFTER_MONTHS },
            },
          );
        });
        if (outcome?.kind === 'done') done += 1;
      }
      archived += done;
      if (due.length < BATCH || done === 0) return archived;
    }
  }

  return {
    async run(now: Date): Promise<ReminderRun> {
      const result: ReminderRun = { reminded: { draft: 0, changes: 0 }, archived: 0 };
      // Archive first: a request archived today is not also reminded.
      result.archived = await archive(now);
      for (const rule of REMINDERS) result.reminded[rule.kind] = await remind(rule.kind, now);
      if (result.archived || result.reminded.draft || result.reminded.changes) logger.info(result, 'request reminders');
      return result;
    },
  };
}

export type ReminderService = ReturnType<typeof reminderService>;
