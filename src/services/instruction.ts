import type { Knex } from 'knex';
import {
  encodeCursor,
  listQuery,
  PAGE_SIZE,
  parseListQuery,
  type ListForm,
  type ListProblem,
} from '../domain/instruction-list.ts';
import type { RequestStatus } from '../domain/request-states.ts';
import { allUseCases, type UseCase } from '../repositories/catalogue.ts';
import { unreadCounts } from '../repositories/conversation.ts';
import { instructionCounts, instructionPage, type InstructionRow } from '../repositories/instruction.ts';

import type { User } from '../repositories/users.ts';
import { legacyMatchCount } from '../repositories/legacy-instruction.ts';
import { legacyListing, type LegacyListing } from './legacy-dossiers.ts';

export type InstructionList = {
  form: ListForm;
  problems: ListProblem[];
  useCases: UseCase[];
  rows: (InstructionRow & { unread: number })[];
  /** Requests per status under the other filters; undefined when the filters were refused. */
  counts?: Record<RequestStatus, number>;
  /** More requests match than a filtered list counts: its counts are those of `countSample` of them. */
  countsSampled?: boolean;
  countSample?: number;
  /** The query string of the next page, when there is one; of the first page (maybe empty), when this is not it. */
  next?: string;
  first?: string;
  /** démarches simplifiées' dossiers, when the list's origin says so. */
  legacy?: LegacyListing;
  /** How many of those dossiers the search also finds (the requests' list links to them). */
  legacyMatches?: number;
};

/** The review of submitted requests, as instructors and reporters see it. */
export function instructionService(db: Knex) {
  return {
    /** One page of the list for the query string of `/instruction`, or the problems with it. */
    async list(query: Record<string, unknown>, viewer: User): Promise<InstructionList> {
      const useCases = await allUseCases(db);
      const { form, filters, problems } = parseListQuery(query, new Set(useCases.map((u) => u.id)));
      if (problems.length) return { form, problems, useCases, rows: [] };
      if (filters.origin) {
        const legacy = await legacyListing(db, filters, form);
        const counts = legacy.counts as Record<RequestStatus, number>;
        return { form, problems, useCases, rows: [], counts, legacy, next: legacy.next, first: legacy.first };
      }
      const [found, { counts, sampled, sample }, matches] = await Promise.all([
        instructionPage(db, filters, viewer.id, PAGE_SIZE),
        instructionCounts(db, filters, viewer.id),
        filters.search ? legacyMatchCount(db, filters.search) : 0,
      ]);
      const page = found.slice(0, PAGE_SIZE);
      const unread = await unreadCounts(
        db,
        page.map((r) => r.id),
        viewer.id,
        'instructor',
      );
      const rows = page.map((r) => ({ ...r, unread: unread.get(r.id) ?? 0 }));
      const last = rows.at(-1);
      return {
        form,
        problems,
        useCases,
        rows,
        counts,
        countsSampled: sampled,
        countSample: sample,
        next:
          found.length > PAGE_SIZE && last
            ? listQuery(form, { apres: encodeCursor({ micros: last.sortMicros, id: last.id }) })
            : undefined,
        first: filters.after ? listQuery(form) : undefined,
        legacyMatches: matches,
      };
    },
  };
}
