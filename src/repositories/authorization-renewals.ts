import type { Knex } from 'knex';
import { AUTHORIZATION_COLUMNS, authorizationRows, type Authorization } from './authorizations.ts';

/**
 * A renewal accepted: the old authorization is superseded by the new one, its tokens move to the new one (they keep
 * working without a change on the caller's side), and the people it named keep their access.
 */
export async function supersedeAuthorization(db: Knex, oldId: string, newId: string): Promise<void> {
  await db('authorizations')
    .where({ id: oldId, status: 'active' })
    .update({ status: 'superseded', ended_at: db.fn.now(), superseded_by: newId });
  await db('api_tokens').where({ authorization_id: oldId }).update({ authorization_id: newId });
  await db.raw(
    `INSERT INTO authorization_members (authorization_id, user_id, roles)
       SELECT ?, user_id, roles FROM authorization_members WHERE authorization_id = ?
     ON CONFLICT (authorization_id, user_id) DO NOTHING`,
    [newId, oldId],
  );
}

/** The request that renews an authorization and is still open (draft, submitted, sent back), if any. */
export async function openRenewalOf(db: Knex, authorizationId: string): Promise<string | undefined> {
  const row = (await db('access_requests')
    .where({ renews_authorization_id: authorizationId })
    .whereIn('status', ['draft', 'submitted', 'changes_requested'])
    .first('id')) as { id: string } | undefined;
  return row?.id;
}

/** The authorization a request renews, if it is a renewal. */
export async function renewedBy(db: Knex, requestId: string): Promise<string | undefined> {
  const row = (await db('access_requests').where({ id: requestId }).first('renews_authorization_id')) as
    { renews_authorization_id: string | null } | undefined;
  return row?.renews_authorization_id ?? undefined;
}

/** Active authorizations expiring within `withinDays` of `now` with no renewal open: who to remind to renew. */
export async function authorizationsNearExpiry(db: Knex, now: Date, withinDays: number): Promise<Authorization[]> {
  return (await authorizationRows(db)
    .where('a.status', 'active')
    .where('a.expires_at', '>', now)
    .where('a.expires_at', '<=', new Date(now.getTime() + withinDays * 86_400_000))
    .whereNotExists(
      db('access_requests as r')
        .whereRaw('r.renews_authorization_id = a.id')
        .whereIn('r.status', ['draft', 'submitted', 'changes_requested'])
        .select(1),
    )
    .orderBy('a.id')
    .select(AUTHORIZATION_COLUMNS)) as Authorization[];
}

/** Records a renewal reminder once: false when it was already sent. */
export async function recordRenewalReminder(db: Knex, authorizationId: string, daysBefore: number): Promise<boolean> {
  const rows = (await db('authorization_reminders')
    .insert({ authorization_id: authorizationId, days_before: daysBefore })
    .onConflict(['authorization_id', 'days_before'])
    .ignore()
    .returning('authorization_id')) as unknown[];
  return rows.length > 0;
}
