import crypto from 'node:crypto';
import request from 'supertest';
import { startConfiguredEmulatorApp, type ConfiguredEmulatorApp } from '../support/configured-emulator-app';
import { bearer, userToken } from '../support/tokens';

/**
 * Issue #19: Checkout returns the customer to the SaaS app's own page, not to a JSON 401.
 * POST /v1/changes takes success_url / cancel_url, each on an origin of RETURN_URL_ALLOWED_ORIGINS
 * (exact origin match), and Stripe's Checkout Session is created with them
 * (docs.stripe.com/api/checkout/sessions/create: success_url, cancel_url). They are stored in the
 * operation's Stripe parameters, so a retry sends the same. A foreign origin is 422 and writes nothing.
 */
const APP = 'https://app.example.com';
const DEFAULT_SUCCESS = `${APP}/billing/thanks`;
const DEFAULT_CANCEL = `${APP}/billing`;

let h: ConfiguredEmulatorApp;
beforeAll(async () => {
  h = await startConfiguredEmulatorApp({
    RETURN_URL_ALLOWED_ORIGINS: `${APP}, https://staging.example.com`,
    CHECKOUT_SUCCESS_URL: DEFAULT_SUCCESS,
    CHECKOUT_CANCEL_URL: DEFAULT_CANCEL,
  });
});
afterAll(async () => h?.close());

async function freeAccount(): Promise<{ accountId: string; auth: string }> {
  const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
  await h.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at) VALUES ($1, 'Free Co', $2, 'US', 'en', now())`,
    [accountId, `${accountId}@example.com`],
  );
  return { accountId, auth: bearer(userToken(accountId, 'owner')) };
}

async function quoted(auth: string): Promise<string> {
  const res = await request(h.app).post('/v1/quotes').set('Authorization', auth).send({ plan: 'pro' });
  expect(res.status).toBe(201);
  expect(res.body.checkout_required).toBe(true);
  return res.body.id as string;
}

const change = (auth: string, body: object, key: string = crypto.randomUUID()) =>
  request(h.app).post('/v1/changes').set('Authorization', auth).set('Idempotency-Key', key).send(body);

async function sessionOf(checkoutUrl: string) {
  const id = /\/(cs_[A-Za-z0-9_]+)/.exec(checkoutUrl)?.[1];
  if (!id) throw new Error(`no session id in ${checkoutUrl}`);
  return h.stripe.checkout.sessions.retrieve(id);
}

async function writes() {
  const [{ operations }] = await h.db.dataSource.query('SELECT count(*)::int AS operations FROM billing_operations');
  const [{ keys }] = await h.db.dataSource.query('SELECT count(*)::int AS keys FROM idempotency_keys');
  const stripe = (await h.emulator.control.requestLog()).filter((entry) => entry.method !== 'GET').length;
  return { operations, keys, stripe };
}

describe('Checkout return URLs', () => {
  it('creates the Checkout Session with the URLs the change names, and stores them for a retry', async () => {
    const account = await freeAccount();
    const quoteId = await quoted(account.auth);
    const success = `${APP}/settings/billing?upgraded=1`;
    const cancel = 'https://staging.example.com/pricing';
    const res = await change(account.auth, { quote_id: quoteId, success_url: success, cancel_url: cancel });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('checkout_required');
    const session = await sessionOf(res.body.checkout_url);
    expect(session).toMatchObject({ success_url: success, cancel_url: cancel });
    const [operation] = await h.db.dataSource.query(
      'SELECT stripe_params FROM billing_operations WHERE quote_id = $1',
      [quoteId],
    );
    expect(operation.stripe_params).toMatchObject({ kind: 'checkout', success_url: success, cancel_url: cancel });
  });

  it('uses CHECKOUT_SUCCESS_URL and CHECKOUT_CANCEL_URL when the change names none', async () => {
    const account = await freeAccount();
    const res = await change(account.auth, { quote_id: await quoted(account.auth) });
    expect(res.status).toBe(200);
    expect(await sessionOf(res.body.checkout_url)).toMatchObject({
      success_url: DEFAULT_SUCCESS,
      cancel_url: DEFAULT_CANCEL,
    });
  });

  it.each([
    ['success_url', 'https://evil.example.net/phish'],
    ['cancel_url', 'https://app.example.com.evil.example.net/'],
    ['success_url', 'http://app.example.com/'],
    ['cancel_url', 'https://app.example.com:8443/'],
  ])('refuses %s on a foreign origin (%s) with 422, writing nothing', async (param, url) => {
    const account = await freeAccount();
    const quoteId = await quoted(account.auth);
    const before = await writes();
    const res = await change(account.auth, { quote_id: quoteId, [param]: url });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'return_url_not_allowed', param });
    expect(await writes()).toEqual(before);
  });

  it('allows a page on this machine outside production (localhost and 127.0.0.1 name one local service)', async () => {
    const account = await freeAccount();
    const local = 'http://127.0.0.1:3000/demo';
    const res = await change(account.auth, { quote_id: await quoted(account.auth), success_url: local });
    expect(res.status).toBe(200);
    expect(await sessionOf(res.body.checkout_url)).toMatchObject({ success_url: local, cancel_url: DEFAULT_CANCEL });
  });

  it('refuses a URL that is not http(s) as invalid input', async () => {
    const account = await freeAccount();
    const res = await change(account.auth, {
      quote_id: await quoted(account.auth),
      success_url: 'javascript:alert(1)',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.param).toBe('success_url');
  });
});
