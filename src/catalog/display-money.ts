import { formatMoney } from '../shared/money';

/** Money as API.md shows it: minor units, lowercase currency, and words for people. */
export interface DisplayMoney {
  amount: number;
  currency: string;
  formatted: string;
}

export function displayMoney(amount: number, currency: string, formatLocale: string): DisplayMoney {
  return { amount, currency, formatted: formatMoney(amount, currency, formatLocale) };
}

/**
 * The locale to format numbers with: the requested one (`de-AT` keeps its own grouping)
 * when it is a real locale of the language we speak, else the language we fell back to.
 */
export function formattingLocale(requested: string | undefined, resolvedLanguage: string): string {
  if (!requested) return resolvedLanguage;
  try {
    const canonical = Intl.getCanonicalLocales(requested.replace(/_/g, '-'))[0];
    if (canonical && canonical.split('-')[0]?.toLowerCase() === resolvedLanguage.toLowerCase()) return canonical;
  } catch {
    // Not a BCP 47 tag: use the language we fell back to.
  }
  return resolvedLanguage;
}
