import fc from 'fast-check';
import { crashStepArbitrary, describeCrash, type CrashStep } from './money-crash-steps';
import { actionOf, describeJournalStep, journalStepArbitrary, type JournalStep } from './money-journal-steps';

/**
 * The commands of the money model, as plain data so that fast-check can generate, print and
 * shrink them. Each names an account by its index in the world (see ACCOUNTS in money-world.ts).
 */
export type Target =
  | { kind: 'plan'; plan: 'pro' | 'premium' }
  | { kind: 'interval'; interval: 'month' | 'year' }
  | { kind: 'seats'; quantity: 0 | 1 | 3 | 5 }
  | { kind: 'support'; quantity: 0 | 1 }
  /** one-time seo_setup, with `pair` also training_construction (two invoice items) */
  | { kind: 'training'; pair: boolean }
  | { kind: 'bundle'; code: 'premium_training' | 'pro_growth' | 'launch_pack' }
  | { kind: 'free' };

export type Card = 'pm_card_visa' | 'pm_card_chargeDeclined' | 'pm_card_authenticationRequired';

export type FaultPath =
  | '/v1/subscriptions/*'
  | '/v1/invoiceitems'
  | '/v1/invoices/*'
  | '/v1/checkout/sessions'
  | '/v1/subscription_schedules*'
  | '/v1/refunds'
  /** a customer's balance transactions and updates (credit, default card) */
  | '/v1/customers/*';

export interface Fault {
  path: FaultPath;
  kind: 'api_error_500' | 'drop_connection' | 'invalid_request_400';
  /** Stripe acts, then the answer is lost. */
  after: boolean;
  /** How many matching requests pass before the fault hits (e.g. the second invoice item). */
  skip: 0 | 1;
}

export type Step =
  /** quote → POST /v1/changes */
  | { op: 'change'; account: number; target: Target }
  /** two quotes, both POST /v1/changes at once (Promise.all) */
  | { op: 'concurrent'; account: number; a: Target; b: Target }
  /** two quotes made together, applied one after the other (the second on a quote made before the first applied) */
  | { op: 'stale'; account: number; a: Target; b: Target }
  /** a fault armed in the emulator, then quote → change (and the same for a refund claim at /v1/refunds) */
  | { op: 'faulted'; account: number; target: Target; fault: Fault }
  /** the customer's default card becomes this one */
  | { op: 'card'; account: number; card: Card }
  /** the newest change waiting on 3-D Secure is authenticated (or authentication fails) */
  | { op: 'authenticate'; account: number; outcome: 'complete' | 'fail' }
  /** the newest open Checkout session is paid with this card on the hosted page */
  | { op: 'checkout'; account: number; card: Card }
  | { op: 'resume'; account: number }
  /** POST /v1/changes/{id}/cancel on the newest scheduled downgrade */
  | { op: 'cancel_schedule'; account: number }
  /** GET /v1/changes/{id} on the newest unfinished change */
  | { op: 'poll'; account: number }
  /** POST /v1/refunds on the account's n-th purchase in the order they were paid and recorded (modulo how many it has) */
  | { op: 'refund'; account: number; purchase: number; fault?: Fault }
  /** every test clock and the service clock move forward (renewals, expiries) */
  | { op: 'advance'; days: number }
  /** finishInterruptedOperations + finishInterruptedClaims */
  | { op: 'janitor' }
  /** the other journal kinds: card update, operator credit, receipt, trial extension (money-journal-steps.ts) */
  | JournalStep
  /** any of them dead right after its claim, then resumed (money-crash-steps.ts) */
  | CrashStep;

const target: fc.Arbitrary<Target> = fc.oneof(
  fc.record({ kind: fc.constant('plan' as const), plan: fc.constantFrom('pro' as const, 'premium' as const) }),
  fc.record({ kind: fc.constant('interval' as const), interval: fc.constantFrom('month' as const, 'year' as const) }),
  fc.record({
    kind: fc.constant('seats' as const),
    quantity: fc.constantFrom(0 as const, 1 as const, 3 as const, 5 as const),
  }),
  fc.record({ kind: fc.constant('support' as const), quantity: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ kind: fc.constant('training' as const), pair: fc.boolean() }),
  fc.record({
    kind: fc.constant('bundle' as const),
    code: fc.constantFrom('premium_training' as const, 'pro_growth' as const, 'launch_pack' as const),
  }),
  fc.record({ kind: fc.constant('free' as const) }),
);

const card: fc.Arbitrary<Card> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('pm_card_visa' as const) },
  { weight: 1, arbitrary: fc.constant('pm_card_chargeDeclined' as const) },
  { weight: 2, arbitrary: fc.constant('pm_card_authenticationRequired' as const) },
);

const fault: fc.Arbitrary<Fault> = fc
  .record({
    path: fc.constantFrom<FaultPath>(
      '/v1/subscriptions/*',
      '/v1/invoiceitems',
      '/v1/invoices/*',
      '/v1/checkout/sessions',
      '/v1/subscription_schedules*',
    ),
    kind: fc.constantFrom('api_error_500' as const, 'drop_connection' as const, 'invalid_request_400' as const),
    after: fc.boolean(),
    skip: fc.constantFrom(0 as const, 1 as const),
  })
  // NOTE: a 400 means Stripe did nothing; "refused after acting" is not a state Stripe can be in.
  .filter((f) => !(f.kind === 'invalid_request_400' && f.after));

/** One random step over `accounts` accounts; weights favour the money-moving ones. */
export function stepArbitrary(accounts: number): fc.Arbitrary<Step> {
  const account = fc.nat({ max: accounts - 1 });
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ op: fc.constant('change' as const), account, target }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('concurrent' as const), account, a: target, b: target }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('stale' as const), account, a: target, b: target }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('faulted' as const), account, target, fault }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('card' as const), account, card }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('authenticate' as const),
        account,
        outcome: fc.constantFrom('complete' as const, 'fail' as const),
      }),
    },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('checkout' as const), account, card }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('resume' as const), account }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel_schedule' as const), account }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('poll' as const), account }) },
    {
      weight: 4,
      arbitrary: fc.record(
        {
          op: fc.constant('refund' as const),
          account,
          purchase: fc.nat({ max: 7 }),
          fault: fc.record({
            path: fc.constant<FaultPath>('/v1/refunds'),
            kind: fc.constantFrom('api_error_500' as const, 'drop_connection' as const),
            after: fc.boolean(),
            skip: fc.constant(0 as const),
          }),
        },
        { requiredKeys: ['op', 'account', 'purchase'] },
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('advance' as const), days: fc.constantFrom(1, 1, 2, 5, 10, 16, 31) }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('janitor' as const) }) },
    // NOTE: the last account starts trialing (money-world.ts ACCOUNTS).
    { weight: 11, arbitrary: journalStepArbitrary(account, target, card, accounts - 1) },
    { weight: 4, arbitrary: crashStepArbitrary(account, target, actionOf(card), accounts - 1) },
  );
}

export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'plan':
      return `plan ${t.plan}`;
    case 'interval':
      return `interval ${t.interval}`;
    case 'seats':
      return `extra_seats ×${t.quantity}`;
    case 'support':
      return `priority_support ×${t.quantity}`;
    case 'training':
      return t.pair ? 'one-time seo_setup + training_construction' : 'one-time seo_setup';
    case 'bundle':
      return `bundle ${t.code}`;
    case 'free':
      return 'to free (cancel at period end)';
  }
}

const describeFault = (f: Fault) =>
  `${f.kind}${f.after ? ' after Stripe acted' : ''} at POST ${f.path}${f.skip ? ' (2nd call)' : ''}`;

export function describeStep(step: Step, accountName: (index: number) => string): string {
  switch (step.op) {
    case 'change':
      return `${accountName(step.account)}: change to ${describeTarget(step.target)}`;
    case 'concurrent':
      return `${accountName(step.account)}: at once ${describeTarget(step.a)} ‖ ${describeTarget(step.b)}`;
    case 'stale':
      return `${accountName(step.account)}: quote ${describeTarget(step.a)} and ${describeTarget(step.b)}, apply both in turn`;
    case 'faulted':
      return `${accountName(step.account)}: ${describeFault(step.fault)}, change to ${describeTarget(step.target)}`;
    case 'card':
      return `${accountName(step.account)}: default card ${step.card}`;
    case 'authenticate':
      return `${accountName(step.account)}: 3-D Secure ${step.outcome}`;
    case 'checkout':
      return `${accountName(step.account)}: pay the open Checkout with ${step.card}`;
    case 'resume':
      return `${accountName(step.account)}: resume`;
    case 'cancel_schedule':
      return `${accountName(step.account)}: cancel the scheduled downgrade`;
    case 'poll':
      return `${accountName(step.account)}: GET the newest unfinished change`;
    case 'refund':
      return `${accountName(step.account)}: refund claim on purchase #${step.purchase}${step.fault ? ` with ${describeFault(step.fault)}` : ''}`;
    case 'advance':
      return `advance every clock ${step.days} day(s)`;
    case 'janitor':
      return 'janitor (operations and claims)';
    case 'crash':
      return describeCrash(step, accountName(step.account), describeTarget);
    default:
      return describeJournalStep(step, accountName(step.account), describeTarget, describeFault);
  }
}
