/** A prompt declined as "too expensive": its price and when (issue #20). */
export interface PriceDecline {
  amount: number;
  currency: string;
  interval: string;
  at: Date;
}

export const TOO_EXPENSIVE_DAYS = 30;
const DAY_MS = 86_400_000;

/** A yearly price compares with a monthly one over a year; other intervals (one-time) as they are. */
function perYear(amount: number, interval: string): number {
  return interval === 'month' ? amount * 12 : amount;
}

/**
 * Pure: "too expensive" within the last 30 days silences any offer in the same currency at the
 * declined price or higher (compared per year for recurring prices); a cheaper one may be shown.
 */
export function silencedByPriceDecline(
  offer: { amount: number; currency: string; interval: string },
  declines: readonly PriceDecline[],
  now: Date,
): boolean {
  return declines.some(
    (decline) =>
      decline.currency === offer.currency &&
      now.getTime() - decline.at.getTime() < TOO_EXPENSIVE_DAYS * DAY_MS &&
      now.getTime() >= decline.at.getTime() &&
      perYear(offer.amount, offer.interval) >= perYear(decline.amount, decline.interval),
  );
}
