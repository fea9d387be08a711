import { currencyExponent } from './currency';

/** "$10.00", "¥1,000", "KWD 10.000" — the way Stripe writes amounts into line descriptions. */
export function formatAmount(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(amount / 10 ** exponent);
}

/** "15 Jan 2026", as in "Unused time on Pro after 15 Jan 2026". */
export function formatDate(timestamp: number): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(timestamp * 1000),
  );
}
