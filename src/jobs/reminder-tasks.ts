import type { TaskList } from 'graphile-worker';
import type { ReminderService } from '../services/reminders.ts';

/**
 * graphile-worker's crontab: reminders and archives every hour (each run catches up on the ones a stopped worker
 * missed, see domain/reminders.ts).
 */
export const REMINDERS_CRONTAB = '7 * * * * request_reminders';

/** The cron's task, on `clock` (the real one in production, a chosen date in tests). */
export function reminderTasks(reminders: ReminderService, clock: () => Date = () => new Date()): TaskList {
  return {
    request_reminders: async () => {
      await reminders.run(clock());
    },
  };
}
