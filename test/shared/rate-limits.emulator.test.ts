import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { loadConfig, RATE_LIMIT_DEFAULTS } from '../../src/config/config';
import { startConfiguredEmulatorApp, type ConfiguredEmulatorApp } from '../support/configured-emulator-app';
import { bearer, serverAuth, userToken } from '../support/tokens';

/**
 * Issue #19, acceptance 2: 1,000 quotes from one token → 429 past the documented limit, with
 * Retry-After. The limit here is small (RATE_LIMIT_MONEY_ACCOUNT=5) to keep the test fast; the
 * window is an hour so that no window ends while the test runs. The default numbers are checked
 * against README and .env.example below.
 */
const MONEY_LIMIT = 5;
const ACCOUNT_LIMIT = 40;
const IP_LIMIT = 8;

let h: ConfiguredEmulatorApp;
let app: ConfiguredEmulatorApp['app'];
let db: ConfiguredEmulatorApp['db'];

beforeAll(async () => {
  h = await startConfiguredEmulatorApp({
    RATE_LIMITS: 'on',
    RATE_LIMIT_WINDOW_SECONDS: '3600',
    RATE_LIMIT_MONEY_ACCOUNT: String(MONEY_LIMIT),
    RATE_LIMIT_ACCOUNT: String(ACCOUNT_LIMIT),
    RATE_LIMIT_IP: String(IP_LIMIT),
  });
  ({ app, db } = h);
});
afterAll(async () => h?.close());

async function freeAccount(): Promise<{ accountId: string; auth: string }> {
  const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
  await db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at) VALUES ($1, 'Free Co', $2, 'US', 'en', now())`,
    [accountId, `${accountId}@example.com`],
  );
  return { accountId, auth: bearer(userToken(accountId, 'owner')) };
}

describe('rate limits', () => {
  it('answers 429 with Retry-After to quotes past the limit: of 1,000 quotes from one token, only the limit is quoted', async () => {
    const account = await freeAccount();
    const statuses: number[] = [];
    let firstRefusal: request.Response | undefined;
    for (let i = 0; i < 1000; i += 1) {
      const res = await request(app).post('/v1/quotes').set('Authorization', account.auth).send({ plan: 'pro' });
      statuses.push(res.status);
      if (i < MONEY_LIMIT) {
        expect(res.status).toBe(201);
        expect(res.headers['ratelimit-policy']).toContain(`"money_account";q=${MONEY_LIMIT};w=3600`);
        expect(res.headers.ratelimit).toMatch(new RegExp(`^"money_account";r=${MONEY_LIMIT - i - 1};t=\\d+$`));
      }
      if (res.status === 429) firstRefusal ??= res;
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(MONEY_LIMIT);
    expect(statuses.slice(MONEY_LIMIT).every((s) => s === 429)).toBe(true);
    expect(firstRefusal?.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    const retryAfter = Number(firstRefusal?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(firstRefusal?.headers.ratelimit).toMatch(/^"money_account";r=0;t=\d+$/);
    // Past the limit nothing reached Stripe or the database: the refused requests stored no quote.
    const [{ quotes }] = await db.dataSource.query('SELECT count(*)::int AS quotes FROM quotes WHERE account_id = $1', [
      account.accountId,
    ]);
    expect(quotes).toBe(MONEY_LIMIT);
    // The counters live in PostgreSQL (shared by instances), one row per bucket and account.
    const rows: Array<{ key: string; points: number }> = await db.dataSource.query(
      'SELECT key, points FROM rate_limits WHERE key LIKE $1 ORDER BY key',
      [`%${account.accountId}`],
    );
    expect(rows.map((row) => row.key)).toEqual([`account:${account.accountId}`, `money_account:${account.accountId}`]);
  });

  it('counts per account: another account is served while one is refused', async () => {
    const other = await freeAccount();
    const res = await request(app).get('/v1/account').set('Authorization', other.auth);
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-policy']).toBe(`"account";q=${ACCOUNT_LIMIT};w=3600`);
  });

  it('counts every request of an account, not only quotes', async () => {
    const account = await freeAccount();
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LIMIT + 3; i += 1)
      statuses.push((await request(app).get('/v1/account').set('Authorization', account.auth)).status);
    expect(statuses.slice(0, ACCOUNT_LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(ACCOUNT_LIMIT)).toEqual([429, 429, 429]);
  });

  it('counts an API key in its own bucket', async () => {
    const res = await request(app).get('/v1/entitlements').set('Authorization', serverAuth);
    expect(res.headers['ratelimit-policy']).toBe(`"key";q=${RATE_LIMIT_DEFAULTS.key};w=3600`);
  });

  it('refuses an address that sent too many bad credentials before reading its next one', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < IP_LIMIT + 2; i += 1)
      statuses.push((await request(app).get('/v1/account').set('Authorization', 'Bearer not-a-token')).status);
    expect(statuses.slice(0, IP_LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(IP_LIMIT)).toEqual([429, 429]);
    // Even a valid token from that address now waits out the window.
    const account = await freeAccount();
    const refused = await request(app).get('/v1/account').set('Authorization', account.auth);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.body.error.type).toBe('rate_limit_error');
  });

  it('leaves probes and docs alone', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-policy']).toBeUndefined();
  });
});

describe('documented defaults', () => {
  const defaults = loadConfig({}).rateLimits;
  const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const envExample = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
  const documented: Array<[string, number]> = [
    ['RATE_LIMIT_WINDOW_SECONDS', defaults.windowSeconds],
    ['RATE_LIMIT_IP', defaults.ip],
    ['RATE_LIMIT_ACCOUNT', defaults.account],
    ['RATE_LIMIT_KEY', defaults.key],
    ['RATE_LIMIT_MONEY_ACCOUNT', defaults.moneyAccount],
    ['RATE_LIMIT_MONEY_KEY', defaults.moneyKey],
  ];

  it('is on outside tests, and 30 quotes, changes and refunds a minute per account', () => {
    expect(defaults.enabled).toBe(true);
    expect(defaults).toMatchObject({ windowSeconds: 60, moneyAccount: 30 });
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimits.enabled).toBe(false);
  });

  it.each(documented)('README and .env.example give %s its default %d', (name, value) => {
    expect(readme).toMatch(new RegExp(`\\| \`${name}\` \\| ${value.toLocaleString('en-US')} \\|`));
    expect(envExample).toMatch(new RegExp(`^(# ?)?${name}=${value}$`, 'm'));
  });
});
