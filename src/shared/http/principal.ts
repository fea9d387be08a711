export type Role = 'owner' | 'admin' | 'member';

/** Who is calling: an end user of a customer account, the SaaS backend, or an operator. */
export type Principal =
  | { kind: 'user'; userId: string; accountId: string; role: Role }
  | { kind: 'server' }
  | { kind: 'admin' };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Only owners and admins may change billing or ask for refunds. */
export function canManageBilling(principal: UserPrincipal): boolean {
  return principal.role === 'owner' || principal.role === 'admin';
}
