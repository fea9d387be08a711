import { currencyExponent, toDecimalString } from '../shared/money';

/** Marks a number the catalog file wrote with a decimal point (see parse-catalog-yaml.ts). */
export const DECIMAL_LITERAL = /^-?\d*\.\d+$|^-?\d+(\.\d*)?[eE][-+]?\d+$/;

/**
 * Amounts are integers in the currency's minor unit (cents, whole yen, fils).
 * Returns a sentence naming the fix, or undefined when the amount is fine.
 */
export function checkMinorAmount(amount: unknown, currency: string): string | undefined {
  const exponent = currencyExponent(currency);
  const code = currency.toUpperCase();
  const unitWords = exponent === 0 ? `${code} has no minor unit` : `${code} has ${exponent} decimals`;
  if (typeof amount === 'string' && DECIMAL_LITERAL.test(amount.trim())) {
    return `written as a decimal (${amount.trim()}); amounts are whole minor units (${unitWords})${hint(Number(amount), currency)}`;
  }
  if (typeof amount !== 'number' || Number.isNaN(amount)) return 'must be a whole number of minor units';
  if (amount < 0) return 'must not be negative';
  if (!Number.isInteger(amount))
    return `must be a whole number of minor units, not ${amount} (${unitWords})${hint(amount, currency)}`;
  if (!Number.isSafeInteger(amount)) return 'is too large';
  // NOTE: Stripe charges three-decimal currencies (KWD, BHD, JOD, OMR, TND) only in amounts whose last digit is 0.
  if (exponent === 3 && amount % 10 !== 0) return `${code} amounts must end in 0 for Stripe (e.g. 5990 for 5.990)`;
  return undefined;
}

/** "; if you meant 19.99 USD, write 1999" — read as major units, the likeliest intent. */
function hint(value: number, currency: string): string {
  const minor = Math.round(value * 10 ** currencyExponent(currency));
  if (!Number.isSafeInteger(minor) || minor < 0) return '';
  return `; if you meant ${toDecimalString(minor, currency)} ${currency.toUpperCase()}, write ${minor}`;
}

export function isMinorAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
