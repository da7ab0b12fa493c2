/** Roles of the service's own staff: their pages need a second factor. Every role today is a staff role. */
export const STAFF_ROLES = ['instructor', 'reporter', 'admin'] as const;

export function isStaff(user: { roles: readonly string[] }): boolean {
  return user.roles.some((role) => (STAFF_ROLES as readonly string[]).includes(role));
}
