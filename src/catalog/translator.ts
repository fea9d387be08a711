import { FALLBACK_LOCALE, resolveLocale, type MessagesByLocale } from './catalog-messages';
import { formattingLocale } from './display-money';
import { formatMessage, type MessageValues } from './message-format';

export interface Translator {
  /** The locale actually used (after fallback). */
  locale: string;
  /** The BCP 47 tag numbers and dates are formatted with (`ar-EG` keeps its Arabic-Indic digits). */
  formatLocale: string;
  /** The ICU message for key, filled; English when the locale lacks it; the key itself as a last resort. */
  t(key: string, vars?: MessageValues): string;
  /** Whether the key exists in the locale or in English. */
  has(key: string): boolean;
  /** A unit word agreeing with count (`1 seat`, `5 seats`, `5 мест`), via Intl.PluralRules. */
  unit(unit: string, count: number): string;
  /** A number in the locale's digits and grouping. */
  number(value: number): string;
}

/**
 * Words of one locale. Messages are ICU MessageFormat (compiled once per locale and kept);
 * `formatLocale` (default: the requested locale when it is one of the language's, e.g. `ar-EG`)
 * decides digits, grouping and date formats.
 */
export function createTranslator(
  messages: MessagesByLocale,
  requestedLocale: string | undefined,
  formatLocale?: string,
): Translator {
  const locale = resolveLocale(requestedLocale, Object.keys(messages));
  const own = messages[locale] ?? {};
  const fallback = messages[FALLBACK_LOCALE] ?? {};
  const formatsWith = formatLocale ?? formattingLocale(requestedLocale, locale);
  const plurals = new Intl.PluralRules(formatsWith);
  const numbers = new Intl.NumberFormat(formatsWith);
  const lookup = (key: string) => own[key] ?? fallback[key];
  const t: Translator['t'] = (key, vars) => {
    const template = lookup(key);
    if (template === undefined) return key;
    // NOTE: even an English fallback is formatted in the reader's locale: one digit system per screen.
    return formatMessage(template, formatsWith, vars);
  };
  return {
    locale,
    formatLocale: formatsWith,
    t,
    has: (key) => lookup(key) !== undefined,
    unit: (unit, count) => {
      const form = lookup(`units.${unit}.${plurals.select(count)}`);
      return form !== undefined ? t(`units.${unit}.${plurals.select(count)}`) : t(`units.${unit}.other`);
    },
    number: (value) => numbers.format(value),
  };
}
