import { describe as describeStep, formatViolations, runModel } from './money-model';

/**
 * Issue #17, acceptance 2: the money model in CI with a fixed seed, 4 runs × 50 steps = 200
 * steps, every invariant checked after every step (see money-invariants.ts for each one and
 * docs.stripe.com/billing/testing/test-clocks for the renewals). Any other seed:
 * `npm run test:money -- --seed N --steps N`.
 *
 * On a violation the test fails with the seed, the invariant, the step it broke at and the
 * shrunk sequence (shrinking is capped at 60 s here; the CLI takes longer by default).
 *
 * The crash after the claim (money-crash-steps.ts) is seen to catch what it is for, with this
 * seed: with the re-check on resume turned off (assertFreshOnResume returning at once), seed 17
 * breaks charge_equals_quote in its 7th step — shrunk: a one-time purchase claimed, the process
 * dead, a 500 credit given in the dashboard, the retry charging 14400 against the 14900 quoted;
 * with the operator action's lookup by Idempotency-Key turned off (earlierOperatorAction answering
 * nothing), seed 17 breaks credit_once_per_key in its 24th step (a credit claimed, the process
 * dead, the retry refused 409 while the claim held the lane, then the janitor's credit and the
 * retry's second one). Each replays with `npm run test:money -- --seed 17 --steps 50 --runs 4`.
 */
const SEED = 17;
const RUNS = 4;
const STEPS = 50;

jest.setTimeout(15 * 60_000);

it(`keeps every money invariant over ${RUNS} × ${STEPS} random steps (seed ${SEED})`, async () => {
  const lines: string[] = [];
  const report = await runModel({
    seed: SEED,
    runs: RUNS,
    steps: STEPS,
    shrinkBudgetMs: 60_000,
    log: (line) => lines.push(line),
  });
  if (report.failure) {
    const { failure } = report;
    throw new Error(
      [
        `seed ${SEED}: ${failure.invariant} broken at step ${failure.original.length} (replay: npm run test:money -- --seed ${SEED} --steps ${STEPS} --runs ${RUNS})`,
        `minimal sequence found (${failure.shrunk.length} step(s)):`,
        ...failure.shrunk.map((step, index) => `  ${index + 1}. ${describeStep(step)}`),
        formatViolations(failure.violations),
        '',
        'the run up to the failure:',
        ...lines.slice(-30),
      ].join('\n'),
    );
  }
  expect(report.stepsRun).toBe(RUNS * STEPS);
});
