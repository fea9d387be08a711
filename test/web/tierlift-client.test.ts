import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TierliftClient, TierliftError, type FetchLike } from '../../src/web/browser/client/tierlift-client';
import {
  freeAccount,
  MIDDLE,
  paidAccount,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { serverAuth, userToken } from '../support/tokens';

let h: BillingHarness;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  h = await startBillingHarness();
  server = http.createServer(h.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

const clientFor = (accountId: string, role: 'owner' | 'member' = 'owner', fetchImpl?: FetchLike) =>
  new TierliftClient({ baseUrl, getToken: async () => userToken(accountId, role), fetch: fetchImpl });

async function pushUsage(accountId: string, feature: string, quantity: number): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/usage`, {
    method: 'POST',
    headers: { Authorization: serverAuth, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      events: [
        {
          id: `${accountId}-${feature}`,
          account_id: accountId,
          feature,
          quantity,
          action: 'set',
          timestamp: new Date().toISOString(),
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
}

describe('TierliftClient against the real app', () => {
  it('reads the account, the comparison table and the entitlements', async () => {
    const { accountId } = await freeAccount(h);
    const sut = clientFor(accountId);
    expect(await sut.account()).toMatchObject({ id: accountId, subscription: null });
    const table = await sut.plans({ interval: 'year' });
    expect(table.interval).toBe('year');
    expect(table.plans.map((plan) => plan.code)).toEqual(['free', 'pro', 'premium']);
    const entitlements = await sut.entitlements();
    expect(entitlements.plan).toBe('free');
    expect(entitlements.data.find((e) => e.feature === 'projects')).toMatchObject({ limit: 3, used: 0 });
    expect(await sut.entitlement('sso')).toMatchObject({ feature: 'sso', allowed: false });
  });

  it('fetches prompts and records their events', async () => {
    const { accountId } = await freeAccount(h);
    await pushUsage(accountId, 'projects', 3);
    const sut = clientFor(accountId);
    const { data } = await sut.prompts({ placement: 'dashboard' });
    const prompt = data[0];
    expect(prompt).toMatchObject({ kind: 'upsell', offer: { type: 'plan', code: 'pro' } });
    // GET /v1/prompts already counted today's impression: the widget's own report is not counted twice.
    expect(await sut.recordPromptEvent(prompt!.id, 'impression')).toMatchObject({
      type: 'impression',
      recorded: false,
    });
    expect(await sut.recordPromptEvent(prompt!.id, 'dismiss')).toMatchObject({ type: 'dismiss' });
    const after = await sut.prompts({ placement: 'dashboard' });
    expect(after.data.map((shown) => shown.id)).not.toContain(prompt!.id);
  });

  it('quotes and applies an upgrade, sending one Idempotency-Key that every retry reuses', async () => {
    const account = await paidAccount(h);
    const keys: string[] = [];
    let failFirst = true;
    const flaky: FetchLike = async (input, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      if (input.endsWith('/v1/changes') && headers['Idempotency-Key']) {
        keys.push(headers['Idempotency-Key']);
        // The first answer is lost after the server applied it: the retry must be replayed, not repeated.
        if (failFirst) {
          failFirst = false;
          await fetch(input, init);
          throw new TypeError('fetch failed');
        }
      }
      return fetch(input, init);
    };
    const sut = clientFor(account.accountId, 'owner', flaky);
    const quote = await sut.quote({ plan: 'premium' });
    expect(quote).toMatchObject({ currency: 'usd', checkout_required: false });
    expect(Number.isInteger(quote.amount_due_now)).toBe(true);
    const change = await sut.createChange(quote.id);
    expect(change).toMatchObject({ status: 'applied', amount_charged: quote.amount_due_now });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await sut.change(change.operation_id)).toMatchObject({ status: 'applied' });
    const purchases: unknown[] = await h.db.dataSource.query('SELECT id FROM purchases WHERE account_id = $1', [
      account.accountId,
    ]);
    expect(purchases).toHaveLength(1);
  });

  it('cancels and resumes the subscription, then claims a refund under the guarantee', async () => {
    const account = await paidAccount(h);
    // The account's Stripe test clock stands mid-April 2026; the guarantee window is counted on the same day.
    h.services.clock.now = () => new Date(MIDDLE * 1000);
    const sut = clientFor(account.accountId);
    expect((await sut.cancelSubscription()).subscription).toMatchObject({ cancel_at_period_end: true });
    expect((await sut.resumeSubscription()).subscription).toMatchObject({ cancel_at_period_end: false });
    const quote = await sut.quote({ plan: 'premium' });
    await sut.createChange(quote.id);
    const [eligible] = await sut.refundEligibility();
    expect(eligible).toMatchObject({ eligible: true, amount: quote.amount_due_now, currency: 'usd' });
    const claim = await sut.claimRefund(eligible!.purchase_id, 'Not what we needed');
    expect(claim).toMatchObject({ status: 'succeeded', amount: quote.amount_due_now });
    expect((await sut.account()).subscription).toMatchObject({ plan: 'pro' });
  });

  it('turns an error answer into a TierliftError carrying the API error body', async () => {
    const account = await paidAccount(h);
    const member = clientFor(account.accountId, 'member');
    const quote = await member.quote({ plan: 'premium' });
    const refused = await member.createChange(quote.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TierliftError);
    expect(refused).toMatchObject({ status: 403, type: 'permission_error' });
    expect((refused as TierliftError).requestId).toMatch(/\S/);
    const invalid = await member.quote({}).catch((error: unknown) => error);
    expect(invalid).toMatchObject({ status: 422, code: 'validation_failed' });
    const missing = await member.change('op_does_not_exist').catch((error: unknown) => error);
    expect(missing).toMatchObject({ status: 404, body: { type: 'not_found' } });
  });
});
