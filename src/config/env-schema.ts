import { z } from 'zod';

/** The environment's schema: every setting the service reads, its type, default and range. */
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

export const envSchema = z.object({
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
  /** How long an account's entitlements may serve unchanged while only time moves on; 0 turns the cache off. */
  ENTITLEMENT_CACHE_SECONDS: intFrom(600, 0, 3600),
  CHECKOUT_RECOVERY_MINUTES: intFrom(60, 1, 10080),
  /**
   * Whole months of usage events kept before their monthly partition is dropped (docs/usage-partitions.md).
   * At least 14: an event may arrive up to 400 days late, and its id must still be known then.
   */
  USAGE_EVENTS_RETENTION_MONTHS: intFrom(24, 14, 1200),
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
  /** Outbound event deliveries (docs/events.md): the time one attempt may take. */
  EVENT_DELIVERY_TIMEOUT_MS: intFrom(10_000, 100, 60_000),
  /** Outbound events (and their deliveries) older than this many days are deleted; at least 30. */
  OUTBOUND_EVENTS_RETENTION_DAYS: intFrom(400, 30, 3650),
});
