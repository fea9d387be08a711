import path from 'node:path';
import { type z } from 'zod';
import { productionProblems } from './production-checks';
import { envSchema } from './env-schema';

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

export { RATE_LIMIT_DEFAULTS } from './env-schema';

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
  usage: {
    /** Entitlements kept this long at most (dropped at once when their account changes); 0: none kept. */
    entitlementCacheSeconds: number;
    /** Usage events older than this many whole months are dropped, a month's partition at a time. */
    eventsRetentionMonths: number;
  };
  /** A Checkout left open this long is abandoned: one recovery prompt and `checkout.abandoned` (issue #20). */
  lifecycle: { checkoutRecoveryMinutes: number };
  rateLimits: RateLimitSettings;
  returnUrls: {
    /** Origins a request's success_url / cancel_url may name; default: CORS_ALLOWED_ORIGINS and PUBLIC_BASE_URL's. */
    allowedOrigins: string[];
    /** Used when a request names none; unset: the first allowed origin's home page, else the service's own. */
    successUrl?: string;
    cancelUrl?: string;
  };
  /** Outbound event deliveries: the time one attempt may take; how many days events are kept. */
  events: { deliveryTimeoutMs: number; retentionDays: number };
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
  if (e.NODE_ENV === 'production') problems.push(...productionProblems(e, DEV_DEFAULTS));
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
    usage: {
      entitlementCacheSeconds: e.ENTITLEMENT_CACHE_SECONDS,
      eventsRetentionMonths: e.USAGE_EVENTS_RETENTION_MONTHS,
    },
    lifecycle: { checkoutRecoveryMinutes: e.CHECKOUT_RECOVERY_MINUTES },
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
    events: { deliveryTimeoutMs: e.EVENT_DELIVERY_TIMEOUT_MS, retentionDays: e.OUTBOUND_EVENTS_RETENTION_DAYS },
  };
}

export type ParsedEnv = z.infer<typeof envSchema>;

/** The process environment, read here and nowhere else. */
export function loadConfigFromProcess(): Config {
  return loadConfig(process.env);
}
