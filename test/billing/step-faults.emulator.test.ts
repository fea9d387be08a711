import type { FaultKind } from '@tierlift/stripe-emulator';
import {
  change,
  freeAccount,
  paidAccount,
  quote,
  startBillingHarness,
  stripeWrites,
  type BillingHarness,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

interface Fault {
  kind: FaultKind;
  after?: boolean;
}

const FAULTS: Fault[] = [
  { kind: 'api_error_500' },
  { kind: 'rate_limit_429' },
  { kind: 'lock_timeout_429' },
  { kind: 'drop_connection' },
  { kind: 'api_error_500', after: true },
];

const describeFault = (fault: Fault) => `${fault.kind}${fault.after ? ' after Stripe acted' : ''}`;

async function arm(path: string, fault: Fault): Promise<void> {
  const count = fault.kind === 'drop_connection' ? 2 : 1;
  await h.emulator.control.injectFault({ method: 'POST', path, kind: fault.kind, count, after: fault.after });
}

async function operationStates(accountId: string): Promise<string[]> {
  const rows: Array<{ state: string }> = await h.db.dataSource.query(
    'SELECT state FROM billing_operations WHERE account_id = $1',
    [accountId],
  );
  return rows.map((row) => row.state);
}

describe('acceptance 4: faults at the downgrade schedule steps', () => {
  const steps = [
    { step: 'schedule creation', path: () => '/v1/subscription_schedules' },
    { step: 'schedule phases', path: () => '/v1/subscription_schedules/*' },
  ];
  for (const { step, path } of steps) {
    it.each(FAULTS.map((fault) => ({ fault, name: describeFault(fault) })))(
      `${step}: $name → one schedule after the janitor`,
      async ({ fault }) => {
        const account = await paidAccount(h, { plan: 'premium' });
        const quoted = await quote(h, account.auth(), { plan: 'pro' });
        await h.emulator.control.clearRequestLog();
        await arm(path(), fault);
        const first = await change(h, account.auth(), quoted.body.id);
        expect(first.status).toBe(503);
        await h.billing.finishInterruptedOperations();
        expect(await operationStates(account.accountId)).toEqual(['completed']);
        const schedules = await h.stripe.subscriptionSchedules.list({ customer: account.customerId });
        expect(schedules.data).toHaveLength(1);
        const schedule = schedules.data[0];
        expect(schedule?.phases).toHaveLength(2);
        expect(schedule?.phases[1]?.items[0]?.price).toEqual(expect.any(String));
        const rows = await h.db.dataSource.query('SELECT scheduled_change FROM subscriptions WHERE id = $1', [
          account.subscription.id,
        ]);
        expect(rows[0].scheduled_change).toMatchObject({ plan: 'pro', schedule: schedule?.id });
      },
    );
  }
});

describe('acceptance 4: faults at the Checkout session step', () => {
  it.each(FAULTS.map((fault) => ({ fault, name: describeFault(fault) })))(
    '$name → exactly one session, waiting on the customer',
    async ({ fault }) => {
      const account = await freeAccount(h);
      const quoted = await quote(h, account.auth, { plan: 'pro', trial: false });
      await h.emulator.control.clearRequestLog();
      await arm('/v1/checkout/sessions', fault);
      expect((await change(h, account.auth, quoted.body.id)).status).toBe(503);
      await h.billing.finishInterruptedOperations();
      expect(await operationStates(account.accountId)).toEqual(['awaiting_customer']);
      // NOTE: after a 500 that followed the session's creation, the resumed run finds that session
      // (by its metadata) instead of creating another: no create may have answered 200.
      const created = await stripeWrites(h, (p) => p === '/v1/checkout/sessions');
      const sessions = await h.stripe.checkout.sessions.list({ limit: 100 });
      const mine = sessions.data.filter((session) => session.client_reference_id === account.accountId);
      expect(mine).toHaveLength(1);
      expect(created.length).toBeGreaterThanOrEqual(1);
    },
  );
});
