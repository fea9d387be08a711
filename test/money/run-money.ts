import 'reflect-metadata';
import { describe, formatViolations, runModel, runSequence } from './money-model';
import type { InvariantName } from './money-invariants';
import type { Step } from './money-steps';

/**
 * `npm run test:money -- --seed N --steps N [--runs N] [--shrink-seconds N]`: runs the money model
 * for any seed, printing every step and the invariants' verdicts; exits 1 on a violation.
 * `--sequence '<json>'` replays one sequence; `--except a,b` leaves invariants aside to see past a
 * known bug (exploration only). Needs DATABASE_URL (PostgreSQL) like the jest suite.
 */
function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number`);
  return value;
}

/** `--sequence '<json>'` replays one sequence (e.g. a shrunk one printed "as data") instead. */
async function replay(json: string): Promise<number> {
  const steps = JSON.parse(json) as Step[];
  const result = await runSequence(steps, { log: (line) => console.log(line) });
  return result.violations.length > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  if (!process.env.DATABASE_URL) {
    console.error('Set DATABASE_URL to a PostgreSQL server (each run works in its own schema).');
    return 2;
  }
  const sequence = process.argv.indexOf('--sequence');
  if (sequence >= 0) return replay(process.argv[sequence + 1] ?? '[]');
  const seed = option('seed', Date.now() % 2 ** 31);
  const steps = option('steps', 50);
  const runs = option('runs', 1);
  const shrinkSeconds = option('shrink-seconds', 600);
  console.log(
    `money model: seed ${seed}, ${runs} run(s) × ${steps} steps (replay: --seed ${seed} --steps ${steps} --runs ${runs})`,
  );
  const started = Date.now();
  const exceptIndex = process.argv.indexOf('--except');
  const except = exceptIndex >= 0 ? ((process.argv[exceptIndex + 1] ?? '').split(',') as InvariantName[]) : [];
  if (except.length > 0) console.log(`not looking at: ${except.join(', ')} (exploration; CI checks every invariant)`);
  const report = await runModel({
    except,
    seed,
    steps,
    runs,
    shrinkBudgetMs: shrinkSeconds * 1000,
    log: (line) => console.log(line),
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (!report.failure) {
    console.log(`seed ${seed}: ${report.stepsRun} steps, every invariant held after every step (${seconds} s)`);
    return 0;
  }
  const { failure } = report;
  console.log(
    `\nseed ${seed}: ${failure.invariant} broken after ${failure.original.length} step(s) (${report.stepsRun} steps run, ${seconds} s)`,
  );
  console.log(`minimal sequence (${failure.shrunk.length} step(s), ${failure.shrinkRuns} shrink replays):`);
  failure.shrunk.forEach((step, index) => console.log(`  ${index + 1}. ${describe(step)}`));
  console.log(formatViolations(failure.violations));
  console.log(`as data: ${JSON.stringify(failure.shrunk)}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
