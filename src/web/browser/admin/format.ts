import { formatMoney } from '../../../shared/money';

/** How the dashboard writes numbers for the operator's locale; money always from minor units. */
export interface Formats {
  locale: string;
  money(amount: number, currency: string): string;
  percent(rate: number | null | undefined): string;
  interval(lower: number, upper: number): string;
  signedPercent(value: number | null | undefined): string;
  count(value: number): string;
  date(iso: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
  pValue(p: number): string;
}

export function createFormats(locale: string): Formats {
  const percentFormat = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const signedFormat = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const countFormat = new Intl.NumberFormat(locale);
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const percent = (rate: number | null | undefined) =>
    rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : percentFormat.format(rate);
  return {
    locale,
    money: (amount, currency) => formatMoney(Math.round(amount), currency, locale),
    percent,
    interval: (lower, upper) => `${percent(lower)} – ${percent(upper)}`,
    signedPercent: (value) =>
      value === null || value === undefined || !Number.isFinite(value) ? '—' : signedFormat.format(value),
    count: (value) => countFormat.format(value),
    date: (iso) => (iso ? dateFormat.format(new Date(iso)) : '—'),
    dateTime: (iso) => (iso ? `${dateTimeFormat.format(new Date(iso))} UTC` : '—'),
    pValue: (p) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`),
  };
}
