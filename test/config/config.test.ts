import { ConfigError, DEV_DEFAULTS, loadConfig } from '../../src/config/config';

const production = {
  NODE_ENV: 'production',
  CHECKOUT_SUCCESS_URL: 'https://app.saas.example/billing/done',
  DATABASE_URL: 'postgres://app:secret@db.internal:5432/tierlift',
  STRIPE_SECRET_KEY: 'sk_live_0123456789abcdefghijklmnop',
  STRIPE_WEBHOOK_SECRET: 'whsec_production_0123456789abcdef',
  JWT_SECRET: 'production-jwt-secret-0123456789abcdef-xyz',
  JWT_AUDIENCE: 'tierlift',
  JWT_ISSUER: 'https://auth.saas.example/',
  SERVER_API_KEY: 'srv_0123456789abcdef0123456789',
  ADMIN_API_KEY: 'adm_0123456789abcdef0123456789',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loadConfig', () => {
  it('runs with no environment at all on local defaults', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.stripe.secretKey).toBeUndefined();
    expect(config.jwt).toMatchObject({ algorithm: 'HS256', usingDevSecret: true });
    expect(config.dataDir).toMatch(/\.data$/);
  });

  it('accepts a complete production environment', () => {
    const config = loadConfig(production);
    expect(config.env).toBe('production');
    expect(config.log.format).toBe('json');
    expect(config.demoData).toBe(false);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      STRIPE_SECRET_KEY: 'pk_test_1',
    });
    expect(problems.join('\n')).toEqual(expect.stringContaining('PORT'));
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'STRIPE_SECRET_KEY']) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
  });

  it('refuses both JWT_SECRET and JWT_PUBLIC_KEY', () => {
    const problems = problemsOf({
      JWT_SECRET: 'x'.repeat(40),
      JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----',
    });
    expect(problems[0]).toMatch(/JWT_SECRET \/ JWT_PUBLIC_KEY/);
  });

  const required = [
    'DATABASE_URL',
    'STRIPE_SECRET_KEY',
    'STRIPE_WEBHOOK_SECRET',
    'JWT_AUDIENCE',
    'JWT_ISSUER',
    'SERVER_API_KEY',
    'ADMIN_API_KEY',
  ] as const;
  it.each(required)('in production refuses to start without %s', (name) => {
    const problems = problemsOf({ ...production, [name]: undefined });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${name}: required in production`))]);
  });

  it('in production refuses to start without any JWT key', () => {
    expect(problemsOf({ ...production, JWT_SECRET: undefined })).toEqual([
      expect.stringMatching(/^JWT_SECRET or JWT_PUBLIC_KEY/),
    ]);
  });

  const devDefaults: Array<[string, string]> = [
    ['JWT_SECRET', DEV_DEFAULTS.jwtSecret],
    ['SERVER_API_KEY', DEV_DEFAULTS.serverApiKey],
    ['ADMIN_API_KEY', DEV_DEFAULTS.adminApiKey],
    ['STRIPE_WEBHOOK_SECRET', DEV_DEFAULTS.webhookSecret],
    ['JWT_AUDIENCE', DEV_DEFAULTS.jwtAudience],
  ];
  it.each(devDefaults)('in production refuses the dev default %s', (name, value) => {
    expect(problemsOf({ ...production, [name]: value })).toEqual([`${name}: is a dev default secret`]);
  });

  it('in production refuses to start with no page for Checkout to send customers back to', () => {
    expect(problemsOf({ ...production, CHECKOUT_SUCCESS_URL: undefined })).toEqual([
      expect.stringMatching(/^CHECKOUT_SUCCESS_URL \(or CORS_ALLOWED_ORIGINS\): required in production/),
    ]);
    expect(
      problemsOf({ ...production, CHECKOUT_SUCCESS_URL: undefined, CORS_ALLOWED_ORIGINS: 'https://app.saas.example' }),
    ).toEqual([]);
  });

  it('in production refuses the same key for server and admin', () => {
    expect(problemsOf({ ...production, ADMIN_API_KEY: production.SERVER_API_KEY })).toEqual([
      'ADMIN_API_KEY: must differ from SERVER_API_KEY',
    ]);
  });
});
