import { formatMoney } from '../../../shared/money';

/**
 * Formats an integer count of minor units (what the API sends) for a person, with Intl and the
 * currency's exponent as Stripe counts it: the server's own table (shared/money.ts), so the widget
 * and the API never disagree on what 4900 JPY or 4900 KWD is.
 */
export function formatMinor(amount: number, currency: string, locale: string): string {
  return formatMoney(amount, currency, locale);
}

export function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
}
