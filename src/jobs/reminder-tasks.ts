import type { TaskList } from 'graphile-worker';
import type { ReminderService } from '../services/reminders.ts';
import type { TokenReminderService } from '../services/token-reminders.ts';

/**
 * graphile-worker's crontab: request reminders and archives, and tokens' expiry reminders, every hour (each run catches up on the ones a stopped worker
 * missed, see domain/reminders.ts).
 */
export const REMINDERS_CRONTAB = ['7 * * * * request_reminders', '17 * * * * token_reminders'].join('\n');

/** The cron's task, on `clock` (the real one in production, a chosen date in tests). */
export function reminderTasks(
  reminders: ReminderService,
  tokenReminders: TokenReminderService,
  clock: () => Date = () => new Date(),
): TaskList {
  return {
    request_reminders: async () => {
      await reminders.run(clock());
    },
    token_reminders: async () => {
      await tokenReminders.run(clock());
    },
  };
}
