import type { Knex } from 'knex';
import { latestAudit, recordAudit } from '../repositories/audit.ts';
import { findUserById, listUsers, setRoles, type User } from '../repositories/users.ts';
import { STAFF_ROLES } from '../domain/staff.ts';

export type RolesOutcome = { kind: 'saved'; user: User } | { kind: 'own_admin_role' } | { kind: 'unknown_user' };

/** What administrators do to accounts: find them, change their roles (audited), read the audit log. */
export function administrationService(db: Knex) {
  return {
    users: (search: string) => listUsers(db, search),
    auditLog: () => latestAudit(db),

    /** Only known roles are kept; an administrator cannot take away their own role. Roles and audit entry together. */
    async setRoles(admin: User, targetId: string, asked: string[]): Promise<RolesOutcome> {
      const target = /^\d{1,18}$/.test(targetId) ? await findUserById(db, targetId) : undefined;
      if (!target) return { kind: 'unknown_user' };
      const roles = STAFF_ROLES.filter((role) => asked.includes(role));
      if (admin.id === target.id && !roles.includes('admin')) return { kind: 'own_admin_role' };
      await db.transaction(async (trx) => {
        await setRoles(trx, target.id, roles);
        await recordAudit(trx, {
          actorId: admin.id,
          action: 'user.roles',
          subjectType: 'user',
          subjectId: target.id,
          details: { before: target.roles, after: roles },
        });
      });
      return { kind: 'saved', user: target };
    },
  };
}
