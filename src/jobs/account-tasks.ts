import type { TaskList } from 'graphile-worker';
import type { AccountService } from '../services/accounts.ts';

/**
 * Account work done after the answer, so that the answer cannot tell whether an address has an account: the
 * reset page only queues « password_reset »; this task looks the address up and sends the link, or nothing.
 */
export function accountTasks(accounts: AccountService): TaskList {
  return {
    password_reset: async (payload) => {
      await accounts.sendResetIfAccountExists(String((payload as { email?: string }).email ?? ''));
    },
  };
}
