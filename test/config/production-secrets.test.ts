import { ConfigError, loadConfig } from '../../src/config/config';

/** Issue #19: production refuses secrets that are short, guessable or shared, naming the setting and the fix. */
const production = {
  NODE_ENV: 'production',
  CHECKOUT_SUCCESS_URL: 'https://app.saas.example/billing/done',
  DATABASE_URL: 'postgres://app:secret@db.internal:5432/tierlift',
  STRIPE_SECRET_KEY: 'sk_live_0123456789abcdefghijklmnop',
  STRIPE_WEBHOOK_SECRET: 'whsec_Qm9J2x7LkP4vT8rN1cZ6yH3wF5sD0gBe',
  JWT_SECRET: 'p7Vn2Kq9Xr4Lm8Ts1Wz6Yb3Hc5Jd0Fg-Ae_Ui',
  JWT_AUDIENCE: 'tierlift',
  JWT_ISSUER: 'https://auth.saas.example/',
  SERVER_API_KEY: 'srv_N4q8Zt2Wm6Rk1Vx9Lp3Hb7Jc',
  ADMIN_API_KEY: 'adm_G5s9Dy3Pf7Tn2Qw8Mh4Kx6Bz',
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

/** One sentence: the setting first, then what is wrong and how to fix it. */
const oneSentenceNaming = (name: string, fault: RegExp) =>
  expect.stringMatching(new RegExp(`^${name}: ${fault.source}[^\\n]*; set [^\\n]*openssl rand[^\\n]*\\.$`));

describe('production secrets', () => {
  it('accepts long, random, distinct secrets', () => {
    expect(problemsOf(production)).toEqual([]);
  });

  it.each(['JWT_SECRET', 'SERVER_API_KEY', 'ADMIN_API_KEY', 'STRIPE_WEBHOOK_SECRET'] as const)(
    'refuses a low-entropy %s of the least allowed length',
    (name) => {
      const prefix = name === 'STRIPE_WEBHOOK_SECRET' ? 'whsec_' : '';
      expect(problemsOf({ ...production, [name]: `${prefix}${'a'.repeat(32)}` })).toEqual([
        oneSentenceNaming(name, /is too predictable/),
      ]);
    },
  );

  it('refuses a repeated short pattern as too predictable', () => {
    expect(problemsOf({ ...production, JWT_SECRET: 'ab'.repeat(24) })).toEqual([
      oneSentenceNaming('JWT_SECRET', /is too predictable/),
    ]);
  });

  it('refuses a webhook secret whose part after whsec_ is too short', () => {
    expect(problemsOf({ ...production, STRIPE_WEBHOOK_SECRET: 'whsec_Qm9J2x7LkP4v' })).toEqual([
      oneSentenceNaming('STRIPE_WEBHOOK_SECRET', /is too short \(12 characters after whsec_\)/),
    ]);
  });

  it('refuses an ADMIN_API_KEY equal to JWT_SECRET', () => {
    expect(problemsOf({ ...production, ADMIN_API_KEY: production.JWT_SECRET })).toEqual([
      expect.stringMatching(/^ADMIN_API_KEY: is the same value as JWT_SECRET; give each secret its own random value/),
    ]);
  });

  it('refuses a webhook secret whose random part repeats another secret', () => {
    expect(problemsOf({ ...production, STRIPE_WEBHOOK_SECRET: `whsec_${production.SERVER_API_KEY}` })).toEqual([
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: is the same value as SERVER_API_KEY/),
    ]);
  });

  it('leaves development alone: a short or repeated secret is the developer’s own business there', () => {
    expect(problemsOf({ NODE_ENV: 'development', JWT_SECRET: 'a'.repeat(32), ADMIN_API_KEY: 'a'.repeat(32) })).toEqual(
      [],
    );
  });
});
