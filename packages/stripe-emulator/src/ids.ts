import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random ids in Stripe's style: a type prefix and 24 alphanumerics (`cus_Q3x...`). */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % ALPHABET.length];
  return prefix ? `${prefix}_${suffix}` : suffix;
}

/** Secrets such as `pi_..._secret_...` and `whsec_...`. */
export function newSecret(prefix: string): string {
  return `${prefix}${newId('', 32)}`;
}
