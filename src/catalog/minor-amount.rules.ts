import { currencyExponent, toDecimalString } from '../shared/money';

/** Marks a number the catalog file wrote with a decimal point (see parse-catalog-yaml.ts). */
export const DECIMAL_LITERAL = /^-?\d*\.\d+$|^-?\d+(\.\d*)?[eE][-+]?\d+$/;

/**
 * Amounts are integers in the currency's minor unit (cents, whole yen, fils).
 * Returns a sentence naming the fix, or undefined when the amount is fine.
 */
export function checkMinorAmount(amount: unknown, currency: string): string | undefined {
  const exponent = currencyExponent(currency);
  const unitWords =
    exponent === 0
      ? `${currency.toUpperCase()} has no minor unit`
      : `${currency.toUpperCase()} has ${exponent} decimals`;
  if (typeof amount === 'string' && DECIMAL_LITERAL.test(amount.trim())) {
    return `written as a decimal (${amount.trim()}); amounts are whole minor units (${unitWords}), e.g. ${example(currency)}`;
  }
  if (typeof amount !== 'number' || Number.isNaN(amount)) return 'must be a whole number of minor units';
  if (amount < 0) return 'must not be negative';
  if (!Number.isInteger(amount)) {
    return `must be a whole number of minor units, not ${amount} (${unitWords}), e.g. ${example(currency)}`;
  }
  if (!Number.isSafeInteger(amount)) return 'is too large';
  // NOTE: Stripe charges three-decimal currencies (KWD, BHD, JOD, OMR, TND) only in amounts whose last digit is 0.
  if (exponent === 3 && amount % 10 !== 0)
    return `${currency.toUpperCase()} amounts must end in 0 for Stripe (e.g. 5990 for 5.990)`;
  return undefined;
}

function example(currency: string): string {
  const sample = 10 ** currencyExponent(currency) * 19;
  return `write ${sample} for ${toDecimalString(sample, currency)} ${currency.toUpperCase()}`;
}

export function isMinorAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
