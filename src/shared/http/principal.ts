export type Role = 'owner' | 'admin' | 'member';

/** Who is calling: an end user of a customer account, the SaaS backend, or an operator. */
export type Principal =
  | { kind: 'user'; userId: string; accountId: string; role: Role }
  | { kind: 'server' }
  | { kind: 'admin'; operator: Operator };

/** What an operator may do: viewers read, operators act, owners also manage operator keys. */
export type OperatorRole = 'viewer' | 'operator' | 'owner';
export const OPERATOR_ROLES = ['viewer', 'operator', 'owner'] as const;

/** The person behind an operator credential; `root` is the shared ADMIN_API_KEY (an owner). */
export interface Operator {
  id: string;
  name: string;
  role: OperatorRole;
}

export const ROOT_OPERATOR: Operator = Object.freeze({ id: 'root', name: 'root (ADMIN_API_KEY)', role: 'owner' });

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Only owners and admins may change billing or ask for refunds. */
export function canManageBilling(principal: UserPrincipal): boolean {
  return principal.role === 'owner' || principal.role === 'admin';
}
