/**
 * Per-second proration, pure. NOTE: Stripe prorates by the exact share of seconds left
 * in the period and rounds each line to the minor unit separately (shared/STRIPE.md):
 * credit −round(old × (end − t)/(end − start)), debit +round(new × (end − t)/(end − start)).
 */
export interface ProrationInput {
  periodStart: number;
  periodEnd: number;
  prorationDate: number;
}

export function remainingShare({ periodStart, periodEnd, prorationDate }: ProrationInput): number {
  if (periodEnd <= periodStart) return 0;
  const clamped = Math.min(Math.max(prorationDate, periodStart), periodEnd);
  return (periodEnd - clamped) / (periodEnd - periodStart);
}

/** Rounds half away from zero on the magnitude, so a credit mirrors the equal debit. */
function roundMinor(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

export function prorationCredit(fullAmount: number, input: ProrationInput): number {
  const credit = roundMinor(fullAmount * remainingShare(input));
  return credit === 0 ? 0 : -credit;
}

export function prorationDebit(fullAmount: number, input: ProrationInput): number {
  return roundMinor(fullAmount * remainingShare(input));
}
