import type { Knex } from 'knex';

/** Which side of a request wrote a message: a member of its organisation, or instruction. */
export type Side = 'applicant' | 'instructor';

export type Message = { id: string; side: Side; body: string; createdAt: Date; authorName: string };
export type Note = { id: string; body: string; createdAt: Date; authorName: string };

const author = (db: Knex) => db.raw(`u.given_name || ' ' || u.family_name as "authorName"`);

export async function insertMessage(
  db: Knex,
  input: { requestId: string; userId: string; side: Side; body: string },
): Promise<string> {
  const [row] = (await db('request_messages')
    .insert({ request_id: input.requestId, user_id: input.userId, side: input.side, body: input.body })
    .returning('id')) as { id: string }[];
  return row!.id;
}

export async function messagesOf(db: Knex, requestId: string): Promise<Message[]> {
  return (await db('request_messages as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('m.request_id', requestId)
    .orderBy('m.id')
    .select('m.id', 'm.side', 'm.body', 'm.created_at as createdAt', author(db))) as Message[];
}

export async function insertNote(db: Knex, input: { requestId: string; userId: string; body: string }): Promise<void> {
  await db('request_notes').insert({ request_id: input.requestId, user_id: input.userId, body: input.body });
}

export async function notesOf(db: Knex, requestId: string): Promise<Note[]> {
  return (await db('request_notes as n')
    .join('users as u', 'u.id', 'n.user_id')
    .where('n.request_id', requestId)
    .orderBy('n.id')
    .select('n.id', 'n.body', 'n.created_at as createdAt', author(db))) as Note[];
}

/** The reader has seen every message of the request up to now (never moves backwards). */
export async function markRead(db: Knex, requestId: string, userId: string): Promise<void> {
  await db.raw(
    `INSERT INTO request_reads (request_id, user_id, last_message_id)
       SELECT ?, ?, coalesce(max(id), 0) FROM request_messages WHERE request_id = ?
     ON CONFLICT (request_id, user_id)
       DO UPDATE SET last_message_id = greatest(request_reads.last_message_id, excluded.last_message_id)`,
    [requestId, userId, requestId],
  );
}

/**
 * Messages written by the other side that `userId` has not seen, per request (requests without any are absent): the
 * counters of « Mes demandes » and of the instructors' list.
 */
export async function unreadCounts(
  db: Knex,
  requestIds: string[],
  userId: string,
  readerSide: Side,
): Promise<Map<string, number>> {
  if (requestIds.length === 0) return new Map();
  const rows = (await db('request_messages as m')
    .leftJoin('request_reads as r', function joinReads() {
      this.on('r.request_id', '=', 'm.request_id').andOn('r.user_id', '=', db.raw('?', [userId]));
    })
    .whereIn('m.request_id', requestIds)
    .whereNot('m.side', readerSide)
    .whereRaw('m.id > coalesce(r.last_message_id, 0)')
    .groupBy('m.request_id')
    .select('m.request_id as requestId')
    .count('* as count')) as { requestId: string; count: string }[];
  return new Map(rows.map((r) => [String(r.requestId), Number(r.count)]));
}
