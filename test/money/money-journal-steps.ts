import fc from 'fast-check';
import type { Card, Fault, FaultPath, Target } from './money-steps';

/**
 * The journal kinds beside changes and refunds (issue #24): the customer's card update
 * (`payment_method`) and the operator's actions (`credit`, `send_invoice`, `extend_trial`), each
 * with the faults its Stripe call can meet, the client's retry under the same Idempotency-Key,
 * another money operation on the same account at the same moment, and replayed webhooks.
 */

/** After a 5xx answer: the client retries under the same Idempotency-Key, once at once and once after the janitor. */
export type Retry = 'none' | 'same_key';

/** What runs beside a journal action on the same account (Promise.all). */
export type Other =
  | { kind: 'change'; target: Target }
  | { kind: 'refund'; purchase: number }
  | { kind: 'credit' }
  | { kind: 'payment_method' };

export type JournalAction =
  | { kind: 'credit'; units: 1 | 5 | 25 }
  | { kind: 'send_invoice'; invoice: number }
  | { kind: 'extend_trial'; days: 2 | 7 | 120 }
  /** with `card`, the customer completes the Checkout with it in the same step (see setup_paid) */
  | { kind: 'payment_method'; card?: Card };

export type JournalStep =
  /** the operator's action (POST /admin/v1/customers/{id}/…), maybe with a fault at its Stripe call, maybe retried */
  | { op: 'journal'; account: number; action: JournalAction; fault?: Fault; retry: Retry }
  /** the action and another money operation of the same account at once */
  | { op: 'alongside'; account: number; action: JournalAction; other: Other }
  /**
   * the open setup Checkout (payment_method) completed with this card, its webhooks settled; with a
   * fault at the first default-card update the completion makes (the customer's)
   */
  | { op: 'setup_paid'; account: number; card: Card; fault?: Fault }
  /** POST /admin/v1/webhook-events/{id}/replay on the account's n-th processed event (newest first) */
  | { op: 'replay'; account: number; event: number };

/** Where each action's Stripe call goes (the fault's path). */
export const PATH_OF: Record<JournalAction['kind'], FaultPath> = {
  credit: '/v1/customers/*',
  send_invoice: '/v1/invoices/*',
  extend_trial: '/v1/subscriptions/*',
  payment_method: '/v1/checkout/sessions',
};

/** An operator's action or the customer's card update. */
export const actionOf = (card: fc.Arbitrary<Card>): fc.Arbitrary<JournalAction> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('credit' as const),
        units: fc.constantFrom(1 as const, 5 as const, 25 as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('send_invoice' as const), invoice: fc.nat({ max: 5 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('extend_trial' as const),
        days: fc.constantFrom(2 as const, 7 as const, 120 as const),
      }),
    },
    // NOTE: an open card-update Checkout holds the lane until the customer comes back: kept rarer so
    // that the other steps still find the lane free often enough.
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('payment_method' as const), card }, { requiredKeys: ['kind'] }),
    },
  );

/** A fault at one path (NOTE: a 400 means Stripe did nothing, never "refused after acting"). */
const faultAt = (path: FaultPath): fc.Arbitrary<Fault> =>
  fc
    .record({
      kind: fc.constantFrom('api_error_500' as const, 'drop_connection' as const, 'invalid_request_400' as const),
      after: fc.boolean(),
    })
    .filter((f) => !(f.kind === 'invalid_request_400' && f.after))
    .map((f) => ({ path, kind: f.kind, after: f.after, skip: 0 as const }));

/** `trialAccount`: the account that starts trialing; trial extensions mostly go there (elsewhere they are refused). */
export function journalStepArbitrary(
  account: fc.Arbitrary<number>,
  target: fc.Arbitrary<Target>,
  card: fc.Arbitrary<Card>,
  trialAccount: number,
): fc.Arbitrary<JournalStep> {
  const action = actionOf(card);
  const faulted = (of: fc.Arbitrary<JournalAction>) =>
    fc
      .tuple(of, fc.constantFrom<Retry>('none', 'same_key'))
      .chain(([a, retry]) =>
        fc
          .option(faultAt(PATH_OF[a.kind]), { nil: undefined, freq: 2 })
          .map((fault) => ({ action: a, retry, ...(fault ? { fault } : {}) })),
      );
  const extension = fc.record({
    kind: fc.constant('extend_trial' as const),
    days: fc.constantFrom(2 as const, 7 as const, 120 as const),
  });
  const other: fc.Arbitrary<Other> = fc.oneof(
    fc.record({ kind: fc.constant('change' as const), target }),
    fc.record({ kind: fc.constant('refund' as const), purchase: fc.nat({ max: 7 }) }),
    fc.record({ kind: fc.constant('credit' as const) }),
    fc.record({ kind: fc.constant('payment_method' as const) }),
  );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(account, faulted(action)).map(([a, f]) => ({ op: 'journal' as const, account: a, ...f })),
    },
    {
      weight: 2,
      arbitrary: faulted(extension).map((f) => ({ op: 'journal' as const, account: trialAccount, ...f })),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('alongside' as const), account, action, other }) },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          op: fc.constant('setup_paid' as const),
          account,
          card,
          fault: faultAt('/v1/customers/*'),
        },
        { requiredKeys: ['op', 'account', 'card'] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('replay' as const), account, event: fc.nat({ max: 9 }) }) },
  );
}

export function describeAction(a: JournalAction): string {
  switch (a.kind) {
    case 'credit':
      return `operator credits ${a.units}×100 minor units`;
    case 'send_invoice':
      return `operator resends invoice #${a.invoice}`;
    case 'extend_trial':
      return `operator extends the trial by ${a.days} day(s)`;
    case 'payment_method':
      return `customer opens a card-update Checkout${a.card ? ` and completes it with ${a.card}` : ''}`;
  }
}

const describeOther = (o: Other, target: (t: Target) => string): string =>
  o.kind === 'change'
    ? `change to ${target(o.target)}`
    : o.kind === 'refund'
      ? `refund claim on purchase #${o.purchase}`
      : o.kind === 'credit'
        ? 'another credit'
        : 'a card-update Checkout';

export function describeJournalStep(
  step: JournalStep,
  accountName: string,
  target: (t: Target) => string,
  fault: (f: Fault) => string,
): string {
  switch (step.op) {
    case 'journal':
      return `${accountName}: ${describeAction(step.action)}${step.fault ? ` with ${fault(step.fault)}` : ''}${step.retry === 'same_key' ? ', retried under the same key' : ''}`;
    case 'alongside':
      return `${accountName}: at once ${describeAction(step.action)} ‖ ${describeOther(step.other, target)}`;
    case 'setup_paid':
      return `${accountName}: complete the card-update Checkout with ${step.card}${step.fault ? `, ${fault(step.fault)}` : ''}`;
    case 'replay':
      return `${accountName}: replay its webhook event #${step.event}`;
  }
}
