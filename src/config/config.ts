import path from 'node:path';
import { z } from 'zod';

/**
 * Dev defaults let `npm start` and `npm test` run with no environment at all.
 * Production refuses every one of them (see productionProblems).
 */
export const DEV_DEFAULTS = {
  jwtSecret: 'dev-only-jwt-secret-change-me-0123456789abcdef',
  jwtAudience: 'tierlift-dev',
  jwtIssuer: 'tierlift-dev-issuer',
  serverApiKey: 'dev-server-key-change-me-local-only',
  adminApiKey: 'dev-admin-key-change-me-local-only',
  webhookSecret: 'whsec_dev_local_emulator_secret',
} as const;

/** Requests a window (RATE_LIMIT_WINDOW_SECONDS, default 60) allows; README documents these numbers. */
export const RATE_LIMIT_DEFAULTS = {
  ip: 120,
  account: 600,
  key: 6000,
  moneyAccount: 30,
  moneyKey: 600,
} as const;

const optionalString = z
  .string()
  .transform((v) => v.trim())
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const intFrom = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** "a, b" → exact origins such as https://app.example.com. */
const originList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  )
  .pipe(
    z.array(
      z
        .url({ protocol: /^https?$/ })
        .refine((o) => new URL(o).origin === o, 'must be an origin such as https://app.example.com'),
    ),
  );

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: intFrom(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  DATABASE_SCHEMA: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL identifier')
      .optional(),
  ),
  DATA_DIR: z.string().default('.data'),
  DB_POOL_SIZE: intFrom(10, 1, 200),
  DB_STATEMENT_TIMEOUT_MS: intFrom(15000, 100, 600000),
  DB_LOCK_TIMEOUT_MS: intFrom(5000, 100, 600000),
  /** How long a prompt decision may serve unchanged while only time moves on; 0 turns the cache off. */
  PROMPT_CACHE_SECONDS: intFrom(30, 0, 300),
  STRIPE_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, 'must start with sk_test_, sk_live_, rk_test_ or rk_live_')
      .optional(),
  ),
  STRIPE_WEBHOOK_SECRET: optionalString.pipe(z.string().startsWith('whsec_', 'must start with whsec_').optional()),
  STRIPE_PUBLISHABLE_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^pk_(test|live)_/, 'must start with pk_test_ or pk_live_')
      .optional(),
  ),
  /** Comma-separated origins whose pages may call the end-user API (the prompt widget on a SaaS frontend). */
  CORS_ALLOWED_ORIGINS: optionalString.pipe(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin !== ''),
      )
      .pipe(
        z.array(
          z
            .url({ protocol: /^https?$/ })
            .refine((o) => new URL(o).origin === o, 'must be an origin such as https://app.example.com'),
        ),
      )
      .optional(),
  ),
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_PUBLIC_KEY: optionalString.pipe(
    z.string().includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key' }).optional(),
  ),
  /** A JSON Web Key Set URL (your identity provider's): RS256 / ES256 tokens verified by `kid`, beside the static key. */
  JWT_JWKS_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** How long a fetched key set is used before it is fetched again (an unknown kid refetches sooner). */
  JWT_JWKS_CACHE_SECONDS: intFrom(600, 0, 86400),
  /** The least time between two fetches of the key set (unknown kids cannot force more). */
  JWT_JWKS_COOLDOWN_SECONDS: intFrom(30, 0, 3600),
  JWT_AUDIENCE: optionalString,
  JWT_ISSUER: optionalString,
  JWT_CLOCK_TOLERANCE_SECONDS: intFrom(30, 0, 300),
  SERVER_API_KEY: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  ADMIN_API_KEY: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  SHUTDOWN_TIMEOUT_MS: intFrom(8000, 100, 60000),
  JSON_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb')
    .default('100kb'),
  CATALOG_FILE: optionalString,
  /** Gross margin (0 < m ≤ 1) lifetime value is computed with: CLTV = ARPA × margin ÷ churn rate. */
  ANALYTICS_GROSS_MARGIN: z.coerce.number().gt(0).max(1).default(0.8),
  DEMO_DATA: z.enum(['on', 'off']).optional(),
  /** Comma-separated origins success_url / cancel_url may point to (exact origin match). */
  RETURN_URL_ALLOWED_ORIGINS: optionalString.pipe(originList.optional()),
  /** Where Checkout sends the customer after paying, or back, when the request names no URL. */
  CHECKOUT_SUCCESS_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CHECKOUT_CANCEL_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** Rate limits (see README, "Rate limits"): on by default, off by default under NODE_ENV=test. */
  RATE_LIMITS: optionalString.pipe(z.enum(['on', 'off']).optional()),
  RATE_LIMIT_WINDOW_SECONDS: intFrom(60, 1, 3600),
  /** Failed or missing credentials one IP may present in a window before it is refused unread. */
  RATE_LIMIT_IP: intFrom(RATE_LIMIT_DEFAULTS.ip, 1, 1_000_000),
  /** Requests one end-user account may make in a window. */
  RATE_LIMIT_ACCOUNT: intFrom(RATE_LIMIT_DEFAULTS.account, 1, 1_000_000),
  /** Requests one API key (the SaaS backend's, or the operators') may make in a window. */
  RATE_LIMIT_KEY: intFrom(RATE_LIMIT_DEFAULTS.key, 1, 1_000_000),
  /** Quotes, changes and refunds one account may ask for in a window. */
  RATE_LIMIT_MONEY_ACCOUNT: intFrom(RATE_LIMIT_DEFAULTS.moneyAccount, 1, 1_000_000),
  /** Quotes, changes and refunds one API key may ask for in a window. */
  RATE_LIMIT_MONEY_KEY: intFrom(RATE_LIMIT_DEFAULTS.moneyKey, 1, 1_000_000),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  env: 'development' | 'test' | 'production';
  http: {
    host: string;
    port: number;
    publicBaseUrl?: string;
    jsonBodyLimit: string;
    shutdownTimeoutMs: number;
    /** Origins allowed to call the end-user API from a browser (CORS); empty: same origin only. */
    corsAllowedOrigins: string[];
  };
  database: {
    /** Undefined means: start the embedded PostgreSQL in dataDir. */
    url?: string;
    /** A schema to keep Tierlift's tables in (created when missing); default public. */
    schema?: string;
    poolSize: number;
    statementTimeoutMs: number;
    lockTimeoutMs: number;
  };
  dataDir: string;
  stripe: {
    /** Undefined means: run against the built-in Stripe emulator. */
    secretKey?: string;
    webhookSecret: string;
    /** Given to the prompt widget so 3-D Secure runs in Stripe.js; the emulator needs none. */
    publishableKey?: string;
  };
  jwt: {
    algorithm: 'HS256' | 'RS256';
    key: string;
    audience: string;
    issuer: string;
    clockToleranceSeconds: number;
    /** True when the dev secret signs tokens: the demo token can be printed. */
    usingDevSecret: boolean;
    /** Keys fetched from the identity provider's JWKS, beside `key` (empty key: JWKS only). */
    jwks?: { url: string; cacheSeconds: number; cooldownSeconds: number };
  };
  apiKeys: { server: string; admin: string };
  log: { level: string; format: 'json' | 'pretty' };
  catalogFile?: string;
  demoData: boolean;
  analytics: { grossMargin: number };
  offers: {
    /** Prompt decisions kept this long at most (dropped at once when their account changes); 0: none kept. */
    promptCacheSeconds: number;
  };
  rateLimits: RateLimitSettings;
  returnUrls: {
    /** Origins a request's success_url / cancel_url may name; default: CORS_ALLOWED_ORIGINS and PUBLIC_BASE_URL's. */
    allowedOrigins: string[];
    /** Used when a request names none; unset: the first allowed origin's home page, else the service's own. */
    successUrl?: string;
    cancelUrl?: string;
  };
}

/** Requests allowed a window, per bucket; counted in PostgreSQL so every instance shares them. */
export interface RateLimitSettings {
  enabled: boolean;
  windowSeconds: number;
  /** Per client IP, for requests that prove no principal (missing or failed credentials). */
  ip: number;
  /** Per end-user account (the JWT's account_id), every request. */
  account: number;
  /** Per API key (server or admin), every request. */
  key: number;
  /** Quotes, changes and refunds, per account. */
  moneyAccount: number;
  /** Quotes, changes and refunds, per API key. */
  moneyKey: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * A start-up mistake the operator fixes in the environment (a DATA_DIR PostgreSQL cannot use, a
 * DATABASE_URL nothing answers at, a PORT already taken): one sentence naming the setting and the fix.
 * NOTE: its stack is that sentence alone: the entry point prints the stack, and frames add nothing here.
 */
export class StartupError extends Error {
  constructor(
    readonly setting: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartupError';
    this.stack = message;
  }
}

/** Parses and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.JWT_SECRET && e.JWT_PUBLIC_KEY) {
    problems.push(
      'JWT_SECRET / JWT_PUBLIC_KEY: set one of them, not both (the algorithm is pinned by which one is set)',
    );
  }
  if (e.NODE_ENV === 'production') problems.push(...productionProblems(e));
  if (problems.length > 0) throw new ConfigError(problems);

  // NOTE: with a JWKS and no static key there is no static key at all, never the dev secret.
  const jwtKey = e.JWT_PUBLIC_KEY ?? e.JWT_SECRET ?? (e.JWT_JWKS_URL ? '' : DEV_DEFAULTS.jwtSecret);
  return {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicBaseUrl: e.PUBLIC_BASE_URL,
      jsonBodyLimit: e.JSON_BODY_LIMIT,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      corsAllowedOrigins: e.CORS_ALLOWED_ORIGINS ?? [],
    },
    database: {
      url: e.DATABASE_URL,
      schema: e.DATABASE_SCHEMA,
      poolSize: e.DB_POOL_SIZE,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: e.DB_LOCK_TIMEOUT_MS,
    },
    dataDir: path.resolve(e.DATA_DIR),
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET ?? DEV_DEFAULTS.webhookSecret,
      publishableKey: e.STRIPE_PUBLISHABLE_KEY,
    },
    jwt: {
      algorithm: e.JWT_PUBLIC_KEY || !jwtKey ? 'RS256' : 'HS256',
      key: jwtKey,
      audience: e.JWT_AUDIENCE ?? DEV_DEFAULTS.jwtAudience,
      issuer: e.JWT_ISSUER ?? DEV_DEFAULTS.jwtIssuer,
      clockToleranceSeconds: e.JWT_CLOCK_TOLERANCE_SECONDS,
      usingDevSecret: jwtKey === DEV_DEFAULTS.jwtSecret,
      ...(e.JWT_JWKS_URL
        ? {
            jwks: {
              url: e.JWT_JWKS_URL,
              cacheSeconds: e.JWT_JWKS_CACHE_SECONDS,
              cooldownSeconds: e.JWT_JWKS_COOLDOWN_SECONDS,
            },
          }
        : {}),
    },
    apiKeys: {
      server: e.SERVER_API_KEY ?? DEV_DEFAULTS.serverApiKey,
      admin: e.ADMIN_API_KEY ?? DEV_DEFAULTS.adminApiKey,
    },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty') },
    catalogFile: e.CATALOG_FILE,
    demoData: (e.DEMO_DATA ?? (e.NODE_ENV === 'production' ? 'off' : 'on')) === 'on',
    analytics: { grossMargin: e.ANALYTICS_GROSS_MARGIN },
    offers: { promptCacheSeconds: e.PROMPT_CACHE_SECONDS },
    returnUrls: {
      allowedOrigins: e.RETURN_URL_ALLOWED_ORIGINS ?? [
        ...new Set([
          ...(e.CORS_ALLOWED_ORIGINS ?? []),
          ...(e.PUBLIC_BASE_URL ? [new URL(e.PUBLIC_BASE_URL).origin] : []),
        ]),
      ],
      // NOTE: the SaaS frontend's home page (the first CORS origin) before the service's own fallback.
      successUrl: e.CHECKOUT_SUCCESS_URL ?? (e.CORS_ALLOWED_ORIGINS?.[0] && `${e.CORS_ALLOWED_ORIGINS[0]}/`),
      cancelUrl: e.CHECKOUT_CANCEL_URL ?? (e.CORS_ALLOWED_ORIGINS?.[0] && `${e.CORS_ALLOWED_ORIGINS[0]}/`),
    },
    rateLimits: {
      // NOTE: off under NODE_ENV=test unless asked for: test files send thousands of requests from one token.
      enabled: (e.RATE_LIMITS ?? (e.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      ip: e.RATE_LIMIT_IP,
      account: e.RATE_LIMIT_ACCOUNT,
      key: e.RATE_LIMIT_KEY,
      moneyAccount: e.RATE_LIMIT_MONEY_ACCOUNT,
      moneyKey: e.RATE_LIMIT_MONEY_KEY,
    },
  };
}

type ParsedEnv = z.infer<typeof envSchema>;

/** NOTE: production must never run on the embedded database, the emulator's secrets or dev keys. */
function productionProblems(e: ParsedEnv): string[] {
  const problems: string[] = [];
  const devValues = new Set<string>(Object.values(DEV_DEFAULTS));
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

/** The process environment, read here and nowhere else. */
export function loadConfigFromProcess(): Config {
  return loadConfig(process.env);
}
