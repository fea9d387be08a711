import fc from 'fast-check';
import { describeAction, type JournalAction } from './money-journal-steps';
import type { Target } from './money-steps';

/**
 * A crash between the claim and the first Stripe call (money-crash-points.ts), or between two later
 * journal steps, for every kind the model drives, then what moves meanwhile and how the work is resumed. A run resumed without
 * checking again what the request assumed (the quote, the refund's ledger, an operator's action
 * already done) would charge, refund or credit what the customer was not quoted: the invariants
 * after the step say so (charge_equals_quote, refund_within_purchase, credit_once_per_key, …).
 */

/** What the crashed request was: a change (update, one-time, bundle, schedule or Checkout), a refund claim, or a journal action. */
export type CrashedRequest =
  | { kind: 'change'; target: Target }
  | { kind: 'refund'; purchase: number }
  | { kind: 'action'; action: JournalAction };

/**
 * Outside the lane the crashed claim still holds: a credit given in Stripe's dashboard (the
 * balance the next invoice takes), every clock moved (a renewal moves the period a quote prorated),
 * or nothing.
 */
export type Meanwhile = { kind: 'nothing' } | { kind: 'dashboard_credit' } | { kind: 'advance'; days: 1 | 16 | 31 };

/**
 * Who carries the work forward once the process is gone (its leases lapsed): the client's retry
 * under the same Idempotency-Key first (then the janitor, then the retry again if it was still
 * unfinished), or the janitor first (start-up) and then the client's retry.
 */
export type Resume = 'retry_first' | 'janitor_first';

export interface CrashStep {
  op: 'crash';
  account: number;
  request: CrashedRequest;
  /**
   * The process dies after this many journal writes of the request: 1 = right after the claim
   * (nothing sent); 2 and 3 = after `sent` was recorded before a Stripe call, after what Stripe
   * made was recorded, … (where the request writes that many).
   */
  writes: 1 | 2 | 3;
  meanwhile: Meanwhile;
  resume: Resume;
}

export function crashStepArbitrary(
  account: fc.Arbitrary<number>,
  target: fc.Arbitrary<Target>,
  action: fc.Arbitrary<JournalAction>,
  trialAccount: number,
): fc.Arbitrary<CrashStep> {
  const request: fc.Arbitrary<CrashedRequest> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('change' as const), target }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), purchase: fc.nat({ max: 7 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('action' as const), action }) },
  );
  const meanwhile: fc.Arbitrary<Meanwhile> = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'nothing' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'dashboard_credit' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('advance' as const),
        days: fc.constantFrom(1 as const, 16 as const, 31 as const),
      }),
    },
  );
  const resume = fc.constantFrom<Resume>('retry_first', 'janitor_first');
  const writes = fc.oneof(
    { weight: 3, arbitrary: fc.constant(1 as const) },
    { weight: 1, arbitrary: fc.constantFrom(2 as const, 3 as const) },
  );
  // NOTE: a trial extension is refused on any account but the trialing one: sent there mostly.
  const onTrial = fc.record({
    kind: fc.constant('action' as const),
    action: fc.record({
      kind: fc.constant('extend_trial' as const),
      days: fc.constantFrom(2 as const, 7 as const),
    }),
  });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant('crash' as const), account, request, writes, meanwhile, resume }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('crash' as const),
        account: fc.constant(trialAccount),
        request: onTrial,
        writes,
        meanwhile,
        resume,
      }),
    },
  );
}

export function describeCrash(step: CrashStep, accountName: string, target: (t: Target) => string): string {
  const what =
    step.request.kind === 'change'
      ? `change to ${target(step.request.target)}`
      : step.request.kind === 'refund'
        ? `refund claim on purchase #${step.request.purchase}`
        : describeAction(step.request.action);
  const meanwhile =
    step.meanwhile.kind === 'nothing'
      ? 'nothing moves'
      : step.meanwhile.kind === 'dashboard_credit'
        ? 'a credit is given in the Stripe dashboard'
        : `every clock advances ${step.meanwhile.days} day(s)`;
  const resume = step.resume === 'retry_first' ? 'the client retries, then the janitor' : 'the janitor, then the retry';
  const when = step.writes === 1 ? 'after its claim' : `after its journal write #${step.writes}`;
  return `${accountName}: ${what}, crashed ${when}; ${meanwhile}; ${resume}`;
}
