import type { ValueTransformer } from 'typeorm';

/**
 * Money is an integer count of minor units plus a lowercase ISO currency, always together.
 * NOTE: Stripe's zero-decimal and three-decimal currencies (see shared/STRIPE.md).
 */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

export interface Money {
  amount: number;
  currency: string;
}

export function currencyExponent(currency: string): 0 | 2 | 3 {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

export function isWholeMinorAmount(amount: number): boolean {
  return Number.isSafeInteger(amount);
}

/** Minor units to a decimal string with the currency's exponent ("12.50", "1500", "3.250"). */
export function toDecimalString(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const divisor = 10 ** exponent;
  const whole = Math.floor(abs / divisor);
  const fraction = String(abs % divisor).padStart(exponent, '0');
  return `${sign}${whole}.${fraction}`;
}

/** Formats for people with Intl, using exactly the currency's minor digits. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  return moneyFormatter(currency, locale).format(Number(toDecimalString(amount, currency)));
}

/**
 * NOTE: building an Intl.NumberFormat costs about 60 µs, using one about 1 µs, and a quote or a
 * prompt formats several amounts: formatters are kept per locale and currency. The key comes from
 * requests, so the cache is bounded: full, it starts again.
 */
const formatters = new Map<string, Intl.NumberFormat>();
const MAX_FORMATTERS = 512;

function moneyFormatter(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let formatter = formatters.get(key);
  if (formatter) return formatter;
  const exponent = currencyExponent(currency);
  formatter = new Intl.NumberFormat(safeLocale(locale), {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  if (formatters.size >= MAX_FORMATTERS) formatters.clear();
  formatters.set(key, formatter);
  return formatter;
}

function safeLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/**
 * PostgreSQL bigint arrives as a string; money and counters must never pass through floats.
 * Values beyond Number.MAX_SAFE_INTEGER are refused rather than silently rounded.
 */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null || value === undefined) return value;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error(`bigint ${value} exceeds the safe integer range`);
    return n;
  },
};
