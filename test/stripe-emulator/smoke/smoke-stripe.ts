import { startJourneyHarness, type JourneyTarget } from '../conformance/journey-harness';
import type { JourneyCheck } from '../conformance/journey-steps';
import { runJourneys } from '../conformance/journeys';

/** 1 April 2026 00:00 UTC: where the emulator's test clocks start (Stripe's start now). */
const EMULATOR_START = Date.UTC(2026, 3, 1) / 1000;

/**
 * Differences the emulator still has from Stripe (issue #18), shown but not failed on the emulator only.
 * NOTE: on Stripe a schedule phase without `discounts` does not carry the subscription's coupon
 * (docs.stripe.com/api/subscription_schedules/update, phases.discounts: "If not specified, inherits the
 * discount from the subscription's customer");
 * the emulator ignores phase discounts and keeps charging the coupon.
 */
export const KNOWN_EMULATOR_DIFFERENCES: string[] = [];

export interface SmokeResult {
  target: 'stripe' | 'emulator';
  checks: JourneyCheck[];
  failed: JourneyCheck[];
  known: JourneyCheck[];
}

/** Which target a key means; a live key is refused before anything is sent. */
export function smokeTarget(secretKey: string | undefined): JourneyTarget {
  if (!secretKey) return { kind: 'emulator', record: false };
  if (/^(sk|rk)_live_/.test(secretKey))
    throw new Error(
      'STRIPE_SECRET_KEY is a live-mode key. smoke:stripe creates customers, subscriptions, charges and refunds: ' +
        'use a test-mode key (sk_test_…) from https://dashboard.stripe.com/test/apikeys.',
    );
  if (!/^(sk|rk)_test_/.test(secretKey))
    throw new Error('STRIPE_SECRET_KEY must be a Stripe test-mode secret key (sk_test_…).');
  return { kind: 'stripe', secretKey };
}

/** Runs the key journeys on Stripe test mode (with a key) or on the emulator (without one). */
export async function runSmoke(secretKey: string | undefined): Promise<SmokeResult> {
  const target = smokeTarget(secretKey);
  const h = await startJourneyHarness(target);
  try {
    const start = target.kind === 'stripe' ? Math.floor(Date.now() / 1000) : EMULATOR_START;
    const checks = await runJourneys(h, { start });
    const isKnown = (check: JourneyCheck) =>
      target.kind === 'emulator' && KNOWN_EMULATOR_DIFFERENCES.includes(`${check.journey}: ${check.check}`);
    const failed = checks.filter((check) => !check.ok && !isKnown(check));
    const known = checks.filter((check) => !check.ok && isKnown(check));
    return { target: target.kind, checks, failed, known };
  } finally {
    await h.close();
  }
}

export function formatSmoke(result: SmokeResult): string {
  const lines = [
    `Tierlift smoke test on ${result.target === 'stripe' ? 'Stripe test mode' : 'the Stripe emulator'}`,
    '',
  ];
  for (const check of result.checks) {
    const mark = check.ok ? '✓' : result.known.includes(check) ? '~' : '✗';
    lines.push(`${mark} ${check.journey}: ${check.check} — ${check.detail}`);
  }
  lines.push('');
  lines.push(
    `${result.checks.length - result.failed.length - result.known.length}/${result.checks.length} checks passed` +
      (result.known.length ? `, ${result.known.length} known emulator difference(s) (~)` : '') +
      (result.failed.length ? `, ${result.failed.length} FAILED` : ''),
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  let result: SmokeResult;
  try {
    result = await runSmoke(process.env.STRIPE_SECRET_KEY);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
    return;
  }
  console.log(formatSmoke(result));
  process.exitCode = result.failed.length === 0 ? 0 : 1;
}

if (require.main === module) void main();
