import jwt from 'jsonwebtoken';
import { TEST_KEYS } from './test-config';

export type Role = 'owner' | 'admin' | 'member';

/** A valid end-user token for the test config; `claims` override or remove (undefined) any claim. */
export function userToken(accountId: string, role: Role = 'owner', claims: Record<string, unknown> = {}): string {
  const payload: Record<string, unknown> = {
    sub: `user_${accountId}_${role}`,
    account_id: accountId,
    role,
    aud: TEST_KEYS.audience,
    iss: TEST_KEYS.issuer,
    exp: Math.floor(Date.now() / 1000) + 3600,
    ...claims,
  };
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
  return jwt.sign(payload, TEST_KEYS.jwtSecret, { algorithm: 'HS256', noTimestamp: false });
}

export const bearer = (token: string) => `Bearer ${token}`;
export const serverAuth = bearer(TEST_KEYS.server);
export const adminAuth = bearer(TEST_KEYS.admin);
