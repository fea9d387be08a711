import fc from 'fast-check';
import { checkInvariants, type InvariantName, type Violation } from './money-invariants';
import { describeStep, stepArbitrary, type Step } from './money-steps';
import { ACCOUNTS, startWorld, webhooksSettled, type World } from './money-world';
import { runStep } from './money-world-steps';

/**
 * The money model: random sequences of billing operations (money-steps.ts) against the real app,
 * a private database and the Stripe emulator with webhook delivery (money-world.ts), with every
 * invariant of issue #17 checked after every step (money-invariants.ts).
 *
 * fast-check generates the sequences from the seed and shrinks a failing one. Shrinking keeps to the
 * invariant first broken (a candidate that breaks only another one counts as passing), so the minimal
 * sequence shows that bug, and it has a time budget: each candidate replays on a fresh world.
 */

export type Log = (line: string) => void;

export interface SequenceResult {
  /** Steps run (the sequence stops at the first step that breaks the invariant looked for). */
  ran: number;
  failedAt?: number;
  violations: Violation[];
  /** What the app answered at each step run. */
  answers: string[];
}

const accountName = (index: number) => ACCOUNTS[index % ACCOUNTS.length]?.name ?? `account ${index}`;

export const describe = (step: Step): string => describeStep(step, accountName);

/**
 * Runs the steps on a fresh world, checking the invariants after each. Stops at the first step
 * breaking `only` (any invariant when not given).
 */
export async function runSequence(
  steps: readonly Step[],
  options: { log?: Log; only?: InvariantName; except?: readonly InvariantName[] } = {},
): Promise<SequenceResult> {
  const log = options.log ?? (() => undefined);
  let w: World | undefined;
  try {
    w = await startWorld();
    const initial = await checkWorld(w);
    const relevant = (v: Violation[]) =>
      v.filter((x) => (!options.only || x.invariant === options.only) && !options.except?.includes(x.invariant));
    if (relevant(initial).length > 0) {
      log(`  after setup: ${formatViolations(relevant(initial))}`);
      return { ran: 0, failedAt: -1, violations: relevant(initial), answers: [] };
    }
    const answers: string[] = [];
    for (const [index, step] of steps.entries()) {
      let answer: string;
      try {
        answer = await runStep(w, step);
      } catch (error) {
        answer = `threw ${String(error)}`;
      }
      answers.push(answer);
      const violations = relevant(await checkWorld(w));
      log(`#${index} ${describe(step)} → ${answer}${violations.length ? '' : '  ✓'}`);
      if (violations.length > 0) {
        log(formatViolations(violations));
        return { ran: index + 1, failedAt: index, violations, answers };
      }
    }
    return { ran: steps.length, violations: [], answers };
  } finally {
    await w?.h.close();
  }
}

async function checkWorld(w: World): Promise<Violation[]> {
  const settled = await webhooksSettled(w);
  const violations = await checkInvariants(w);
  if (!settled)
    violations.push({
      invariant: 'webhooks_settle',
      detail: 'webhook events still failing or unprocessed (the mirror cannot follow Stripe)',
    });
  return violations;
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `  ✗ ${v.invariant}${v.account ? ` [${v.account}]` : ''}: ${v.detail}`).join('\n');
}

/** Answers of steps that changed nothing anywhere (what the app refused before any effect, or found nothing to act on). */
const NO_EFFECT = /^(quote 4\d\d|quotes |nothing|no (open Checkout|purchase|scheduled downgrade)|emulator refused)/;

export interface ModelOptions {
  seed: number;
  /** Independent sequences (each on a fresh world). */
  runs: number;
  /** Steps per sequence. */
  steps: number;
  /** How long shrinking may replay candidates after the first failure (ms). */
  shrinkBudgetMs?: number;
  /**
   * Exploration only (CLI `--except`): invariants not looked at, to see past a bug already known.
   * CI checks every invariant.
   */
  except?: readonly InvariantName[];
  log?: Log;
}

export interface ModelReport {
  seed: number;
  stepsRun: number;
  failure?: {
    invariant: InvariantName;
    /** The sequence as generated, up to the failing step. */
    original: Step[];
    /** The smallest sequence found that still breaks the same invariant, and what it broke. */
    shrunk: Step[];
    violations: Violation[];
    shrinkRuns: number;
  };
}

/**
 * Generates `runs` sequences of exactly `steps` steps from `seed` (fast-check, no shrinking there:
 * a fixed length cannot shrink); the first failing one, cut after its failing step, is then given to
 * fast-check as an example of a variable-length sequence, which it shrinks within the budget.
 */
export async function runModel(options: ModelOptions): Promise<ModelReport> {
  const log = options.log ?? (() => undefined);
  const steps = stepArbitrary(ACCOUNTS.length);
  let stepsRun = 0;
  let run = 0;
  let found: { target: InvariantName; original: Step[]; violations: Violation[]; answers: string[] } | undefined;
  await fc.check(
    fc.asyncProperty(fc.array(steps, { minLength: options.steps, maxLength: options.steps }), async (sequence) => {
      run += 1;
      log(`── run ${run}/${options.runs}: ${sequence.length} steps`);
      const result = await runSequence(sequence, { log, except: options.except });
      stepsRun += result.ran;
      const first = result.violations[0];
      if (!first) return true;
      found = {
        target: first.invariant,
        original: sequence.slice(0, (result.failedAt ?? 0) + 1),
        violations: result.violations,
        answers: result.answers,
      };
      return false;
    }),
    { seed: options.seed, numRuns: options.runs, endOnFailure: true },
  );
  if (!found) return { seed: options.seed, stepsRun };
  const shrunk = await shrink({
    ...found,
    budgetMs: options.shrinkBudgetMs ?? 10 * 60_000,
    log,
    steps,
    seed: options.seed,
    answers: found.answers,
  });
  return { seed: options.seed, stepsRun, failure: { invariant: found.target, original: found.original, ...shrunk } };
}

async function shrink(input: {
  target: InvariantName;
  original: Step[];
  violations: Violation[];
  budgetMs: number;
  log: Log;
  steps: fc.Arbitrary<Step>;
  seed: number;
  answers: string[];
}): Promise<{ shrunk: Step[]; violations: Violation[]; shrinkRuns: number }> {
  const { target, log } = input;
  let best = { steps: input.original, violations: input.violations };
  let shrinkRuns = 0;
  if (best.steps.length <= 1) return { shrunk: best.steps, violations: best.violations, shrinkRuns };
  const deadline = Date.now() + input.budgetMs;
  log(`── shrinking ${best.steps.length} steps towards ${target} (budget ${Math.round(input.budgetMs / 1000)} s)`);
  // First one replay without the steps that did nothing (a refused quote, nothing to pay) and,
  // when the violation is one account's, without the other accounts' steps; then fast-check.
  const account = input.violations.find((v) => v.invariant === target)?.account;
  const accountIndex = ACCOUNTS.findIndex((a) => a.name === account);
  const pruned = best.steps.filter(
    (step, index) =>
      index === best.steps.length - 1 ||
      (!NO_EFFECT.test(input.answers[index] ?? '') &&
        (accountIndex < 0 || !('account' in step) || step.account % ACCOUNTS.length === accountIndex)),
  );
  if (pruned.length < best.steps.length) {
    shrinkRuns += 1;
    const result = await runSequence(pruned, { only: target });
    if (result.violations.length > 0) {
      best = { steps: pruned.slice(0, (result.failedAt ?? 0) + 1), violations: result.violations };
      log(`   pruned: ${best.steps.length} step(s) still break ${target}`);
    } else log(`   pruning lost the violation; fast-check shrinks all ${best.steps.length} steps`);
  }
  const original = best.steps;
  const originalText = JSON.stringify(original);
  await fc.check(
    fc.asyncProperty(fc.array(input.steps, { minLength: 1, maxLength: original.length }), async (sequence) => {
      if (JSON.stringify(sequence) === originalText) return false;
      // NOTE: past the budget every candidate passes at once, so fast-check stops on the best so far.
      if (Date.now() > deadline) return true;
      shrinkRuns += 1;
      const result = await runSequence(sequence, { only: target });
      if (result.violations.length === 0) return true;
      const cut = sequence.slice(0, (result.failedAt ?? 0) + 1);
      if (cut.length <= best.steps.length) {
        best = { steps: cut, violations: result.violations };
        log(`   shrink ${shrinkRuns}: ${cut.length} step(s) still break ${target}`);
      }
      return false;
    }),
    { examples: [[original]], numRuns: 1, seed: input.seed },
  );
  return { shrunk: best.steps, violations: best.violations, shrinkRuns };
}
