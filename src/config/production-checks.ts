import type { ParsedEnv } from './config';

/**
 * The production guard's checks, apart from parsing: what `NODE_ENV=production` refuses to start
 * with (the embedded database, the emulator, dev or weak secrets, no page to return to), each
 * problem one sentence naming the setting.
 */
/** NOTE: production must never run on the embedded database, the emulator's secrets or dev keys. */
export function productionProblems(e: ParsedEnv, devDefaults: Record<string, string>): string[] {
  const problems: string[] = [];
  const devValues = new Set<string>(Object.values(devDefaults));
  const require = (name: keyof ParsedEnv, why: string) => {
    const value = e[name];
    if (value === undefined) problems.push(`${name}: required in production (${why})`);
    else if (typeof value === 'string' && devValues.has(value)) problems.push(`${name}: is a dev default secret`);
  };
  require('DATABASE_URL', 'the embedded PostgreSQL is for local use only');
  require('STRIPE_SECRET_KEY', 'the Stripe emulator is for local use only');
  require('STRIPE_WEBHOOK_SECRET', 'webhooks must be verified');
  require('JWT_AUDIENCE', 'tokens must be bound to this service');
  require('JWT_ISSUER', 'tokens must come from your identity provider');
  require('SERVER_API_KEY', 'the SaaS backend authenticates with it');
  require('ADMIN_API_KEY', 'operators authenticate with it');
  if (!e.JWT_SECRET && !e.JWT_PUBLIC_KEY && !e.JWT_JWKS_URL) {
    problems.push(
      'JWT_SECRET or JWT_PUBLIC_KEY (or JWT_JWKS_URL): required in production (end-user tokens are verified with it)',
    );
  } else if (e.JWT_SECRET && devValues.has(e.JWT_SECRET)) {
    problems.push('JWT_SECRET: is a dev default secret');
  }
  if (e.SERVER_API_KEY && e.SERVER_API_KEY === e.ADMIN_API_KEY) {
    problems.push('ADMIN_API_KEY: must differ from SERVER_API_KEY');
  }
  // NOTE: without either, Checkout would send paying customers back to this API (a JSON 401 page).
  if (!e.CHECKOUT_SUCCESS_URL && !e.CORS_ALLOWED_ORIGINS?.length) {
    problems.push(
      'CHECKOUT_SUCCESS_URL (or CORS_ALLOWED_ORIGINS): required in production (Checkout sends customers back to a page of your app; set it to that page)',
    );
  }
  problems.push(...secretStrengthProblems(e, devValues));
  return problems;
}

/** The production secrets, each with the least length its random part must have. */
const SECRETS = [
  { name: 'JWT_SECRET', minLength: 32 },
  { name: 'SERVER_API_KEY', minLength: 24 },
  { name: 'ADMIN_API_KEY', minLength: 24 },
  { name: 'STRIPE_WEBHOOK_SECRET', minLength: 24, prefix: 'whsec_' },
] as const;

/** Below this many bits (length × Shannon entropy of its characters) a secret is guessable, whatever its length. */
const MIN_SECRET_BITS = 96;
const HOW_TO_GENERATE = 'e.g. the output of `openssl rand -base64 48`';

/** Bits of a string by the Shannon entropy of its own characters: 32 × "a" has 0, "abab…" 1 a character. */
export function estimatedBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...value].length;
  let perChar = 0;
  for (const count of counts.values()) perChar -= (count / length) * Math.log2(count / length);
  return perChar * length;
}

/**
 * NOTE: production secrets must be long, random and distinct: a 32 × "a" JWT secret or an admin key
 * equal to the JWT secret lets one leaked or guessed value open every door. Dev defaults and
 * missing values are reported by productionProblems, not again here.
 */
function secretStrengthProblems(e: ParsedEnv, devValues: Set<string>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const secret of SECRETS) {
    const value = e[secret.name];
    if (value === undefined || devValues.has(value)) continue;
    const prefix = 'prefix' in secret ? secret.prefix : '';
    const random = value.startsWith(prefix) ? value.slice(prefix.length) : value;
    if (random.length < secret.minLength) {
      problems.push(
        `${secret.name}: is too short (${random.length} characters${prefix ? ` after ${prefix}` : ''}); set at least ${secret.minLength} random characters, ${HOW_TO_GENERATE}.`,
      );
    } else if (estimatedBits(random) < MIN_SECRET_BITS) {
      problems.push(
        `${secret.name}: is too predictable (repeated or few distinct characters); set a random value, ${HOW_TO_GENERATE}.`,
      );
    }
    const same = seen.get(random);
    // NOTE: SERVER_API_KEY = ADMIN_API_KEY keeps its own older message (productionProblems).
    if (same && !(same === 'SERVER_API_KEY' && secret.name === 'ADMIN_API_KEY')) {
      problems.push(
        `${secret.name}: is the same value as ${same}; give each secret its own random value, ${HOW_TO_GENERATE}.`,
      );
    }
    if (!same) seen.set(random, secret.name);
  }
  return problems;
}
