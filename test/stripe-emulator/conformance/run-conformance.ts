import { COVERAGE_JOURNEYS } from './coverage-journeys';
import { measureConformance, formatConformance, type ConformanceFigures } from './conformance-report';
import { startJourneyHarness } from './journey-harness';
import { JOURNEYS, runJourneys } from './journeys';
import type { JourneyCheck } from './journey-steps';
import { loadStripeSchema } from './stripe-operations';

/** 1 April 2026 00:00 UTC: the emulator's test clocks start here. */
export const CONFORMANCE_START = Date.UTC(2026, 3, 1) / 1000;

/** The acceptance of issue #18: 0 request violations, ≥ 95 % of responses conform, 0 wrong types or enum values. */
export function acceptanceFailures(figures: ConformanceFigures): string[] {
  const failures: string[] = [];
  if (figures.requestViolations > 0)
    failures.push(`${figures.requestViolations} request(s) violate the SDK's parameter types`);
  if (figures.conformingPercent < 95)
    failures.push(`only ${figures.conformingPercent}% of responses conform (need 95%)`);
  if (figures.wrongTypes.length > 0)
    failures.push(`${figures.wrongTypes.length} field(s) with a wrong type or enum value`);
  return failures;
}

/** Drives the service's journeys against the emulator behind a recorder, then checks what went over the wire. */
export async function runConformance(
  journeys: string[] = [...Object.keys(JOURNEYS), ...Object.keys(COVERAGE_JOURNEYS)],
): Promise<{ figures: ConformanceFigures; checks: JourneyCheck[] }> {
  const schema = loadStripeSchema();
  const h = await startJourneyHarness({ kind: 'emulator', record: true });
  try {
    const checks = await runJourneys(h, { start: CONFORMANCE_START }, journeys);
    await h.services.webhooks.stopWorker();
    return { figures: measureConformance(schema, h.recorder?.exchanges ?? [], h.webhookEvents), checks };
  } finally {
    await h.close();
  }
}

async function main(): Promise<void> {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const { figures, checks } = await runConformance();
  console.log(formatConformance(figures));
  const failedChecks = checks.filter((check) => !check.ok);
  console.log(`\njourney checks: ${checks.length - failedChecks.length}/${checks.length} passed`);
  for (const check of failedChecks) console.log(`  ✗ ${check.journey}: ${check.check} — ${check.detail}`);
  const failures = acceptanceFailures(figures);
  console.log(failures.length === 0 ? '\nacceptance: met' : `\nacceptance: NOT met\n  ${failures.join('\n  ')}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
