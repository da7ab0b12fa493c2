import type { Knex } from 'knex';
import { recordAudit } from '../repositories/audit.ts';
import { closeCase, findCase, listCases } from '../repositories/moderation.ts';
import { setMembership } from '../repositories/organisations.ts';
import type { Mailer } from './emails.ts';

/** Support's moderation queue: suspended joins and declared public-service missions, decided and audited. */
export function moderationService(db: Knex, mail: Mailer) {
  return {
    open: () => listCases(db, 'open'),
    closed: () => listCases(db, 'closed'),
    find: (id: string) => findCase(db, id),
    /** Returns false when the case was already decided by someone else. */
    async decide(id: string, adminId: string, approve: boolean, note: string | null): Promise<boolean> {
      return db.transaction(async (trx) => {
        const found = await findCase(trx, id);
        if (!found) return false;
        const status = approve ? 'approved' : 'refused';
        if (!(await closeCase(trx, id, { status, by: adminId, note }))) return false;
        await setMembership(trx, found.userId, found.organisationId, approve ? 'active' : 'refused');
        await recordAudit(trx, {
          actorId: adminId,
          action: `moderation.${status}`,
          subjectType: 'moderation_case',
          subjectId: id,
          details: { userId: found.userId, organisationId: found.organisationId, note },
        });
        await mail(trx, approve ? 'adhesion-acceptee' : 'adhesion-refusee', found.userEmail, { case: found, note });
        return true;
      });
    },
  };
}
