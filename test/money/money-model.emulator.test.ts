import { describe as describeStep, formatViolations, runModel } from './money-model';

/**
 * Issue #17, acceptance 2: the money model in CI with a fixed seed, 4 runs × 50 steps = 200
 * steps, every invariant checked after every step (see money-invariants.ts for each one and
 * docs.stripe.com/billing/testing/test-clocks for the renewals). Any other seed:
 * `npm run test:money -- --seed N --steps N`.
 *
 * On a violation the test fails with the seed, the invariant, the step it broke at and the
 * shrunk sequence (shrinking is capped at 60 s here; the CLI takes longer by default).
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
