import type { Knex } from 'knex';
import { destroyUserSessions, userSessions } from '../repositories/sessions.ts';
import { updateProfile, type ProfileUpdate } from '../repositories/users.ts';

/** A signed-in user's own profile and open sessions. */
export function profileService(db: Knex) {
  return {
    update: (userId: string, profile: ProfileUpdate) => updateProfile(db, userId, profile),
    sessions: (userId: string) => userSessions(db, userId),
    /** Ends every session of the user but `keepSid` (this one); returns how many. */
    endOtherSessions: (userId: string, keepSid: string) => destroyUserSessions(db, userId, keepSid),
  };
}
