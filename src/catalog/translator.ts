import { FALLBACK_LOCALE, resolveLocale, type MessagesByLocale } from './catalog-messages';

export interface Translator {
  /** The locale actually used (after fallback). */
  locale: string;
  /** The message for key with {placeholders} filled; English when the locale lacks it; the key itself as a last resort. */
  t(key: string, vars?: Readonly<Record<string, string | number>>): string;
  /** Whether the key exists in the locale or in English. */
  has(key: string): boolean;
  /** A unit word agreeing with count (`1 seat`, `5 seats`, `5 мест`), via Intl.PluralRules. */
  unit(unit: string, count: number): string;
  /** A number in the locale's digits and grouping. */
  number(value: number): string;
}

export function createTranslator(messages: MessagesByLocale, requestedLocale: string | undefined): Translator {
  const locale = resolveLocale(requestedLocale, Object.keys(messages));
  const own = messages[locale] ?? {};
  const fallback = messages[FALLBACK_LOCALE] ?? {};
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const lookup = (key: string) => own[key] ?? fallback[key];
  const t: Translator['t'] = (key, vars) => {
    const template = lookup(key) ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) =>
      vars[name] !== undefined ? String(vars[name]) : match,
    );
  };
  return {
    locale,
    t,
    has: (key) => lookup(key) !== undefined,
    unit: (unit, count) => lookup(`units.${unit}.${plurals.select(count)}`) ?? t(`units.${unit}.other`),
    number: (value) => numbers.format(value),
  };
}
