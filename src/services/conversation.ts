import type { Knex } from 'knex';
import {
  insertMessage,
  insertNote,
  markRead,
  messagesOf,
  unreadCounts,
  type Message,
  type Side,
} from '../repositories/conversation.ts';
import { requestRecipients } from '../repositories/instruction-detail.ts';
import { instructorEmails } from '../repositories/requests.ts';
import type { User } from '../repositories/users.ts';
import type { Mailer } from './emails.ts';

export const MESSAGE_MAX_LENGTH = 5000;

type RequestRef = { id: string; title: string | null; organisationName: string; useCaseLabel: string };
export type Posted = { kind: 'posted' } | { kind: 'invalid'; message: string };

/** What a person typed in a message or a note, checked: something to say, within the length a page can show. */
function checkText(raw: unknown, what: string): { text: string; problem?: string } {
  const text = (typeof raw === 'string' ? raw : '').replace(/\r\n/g, '\n').trim();
  if (text === '') return { text, problem: `Écrivez ${what} avant de l’envoyer` };
  if (text.length > MESSAGE_MAX_LENGTH)
    return {
      text,
      problem: `${what[0]!.toUpperCase()}${what.slice(1)} doit compter ${MESSAGE_MAX_LENGTH} caractères au plus (vous en avez écrit ${text.length})`,
    };
  return { text };
}

/**
 * Messages between a request's applicant side and instruction, and instruction's internal notes. A message emails the
 * other side a link to the request (never its content, which stays behind sign-in); a note emails nobody.
 */
export function conversationService(db: Knex, mail: Mailer) {
  return {
    /** The thread as `reader` sees it; seeing it marks it read for them. */
    async thread(requestId: string, reader: User): Promise<Message[]> {
      const messages = await messagesOf(db, requestId);
      await markRead(db, requestId, reader.id);
      return messages;
    },

    async post(request: RequestRef, side: Side, author: User, body: unknown): Promise<Posted> {
      const { text, problem } = checkText(body, 'votre message');
      if (problem) return { kind: 'invalid', message: problem };
      await db.transaction(async (trx) => {
        await insertMessage(trx, { requestId: request.id, userId: author.id, side, body: text });
        await markRead(trx, request.id, author.id);
        const { applicant, assigneeEmail } = await requestRecipients(trx, request.id);
        if (side === 'instructor') {
          await mail(trx, 'message-instruction', applicant.email, { request, user: applicant });
          return;
        }
        const instructors = assigneeEmail ? [assigneeEmail] : await instructorEmails(trx);
        for (const email of new Set(instructors))
          await mail(trx, 'message-demandeur', email, {
            request,
            author: { givenName: author.givenName, familyName: author.familyName },
          });
      });
      return { kind: 'posted' };
    },

    async note(requestId: string, author: User, body: unknown): Promise<Posted> {
      const { text, problem } = checkText(body, 'la note');
      if (problem) return { kind: 'invalid', message: problem };
      await insertNote(db, { requestId, userId: author.id, body: text });
      return { kind: 'posted' };
    },

    /** Unread messages of the other side, per request, for the lists' counters. */
    unread: (requestIds: string[], reader: User, side: Side) => unreadCounts(db, requestIds, reader.id, side),
  };
}

export type ConversationService = ReturnType<typeof conversationService>;
