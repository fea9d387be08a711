import type { MessagesByLocale } from '../catalog/catalog-messages';
import { formattingLocale, type DisplayMoney } from '../catalog/display-money';
import { currencyExponent, toDecimalString } from '../shared/money';
import { createTranslator, type Translator } from '../catalog/translator';

/** Everything a prompt needs to speak one locale: catalog words, offer copy, number and date formats. */
export interface PromptLocale {
  words: Translator;
  copy: Translator;
  /** The BCP 47 tag numbers, money and dates are formatted with (`de-AT` keeps its own grouping). */
  formatLocale: string;
  date(at: Date): string;
  /** Money as displayMoney gives it (same Intl options as shared/money's formatMoney), with formatters kept per currency. */
  money(amount: number, currency: string): DisplayMoney;
}

export function promptLocale(words: MessagesByLocale, copy: MessagesByLocale, requested: string): PromptLocale {
  const formatLocale = formattingLocale(requested, createTranslator(copy, requested).locale);
  const copyTr = createTranslator(copy, requested, formatLocale);
  const dates = new Intl.DateTimeFormat(formatLocale, { dateStyle: 'long', timeZone: 'UTC' });
  const currencies = new Map<string, Intl.NumberFormat>();
  const money = (amount: number, currency: string): DisplayMoney => {
    let format = currencies.get(currency);
    if (!format) {
      const digits = currencyExponent(currency);
      const options = { minimumFractionDigits: digits, maximumFractionDigits: digits };
      format = new Intl.NumberFormat(formatLocale, { style: 'currency', currency: currency.toUpperCase(), ...options });
      currencies.set(currency, format);
    }
    return { amount, currency, formatted: format.format(Number(toDecimalString(amount, currency))) };
  };
  return {
    words: createTranslator(words, requested, formatLocale),
    copy: copyTr,
    formatLocale,
    date: (at) => dates.format(at),
    money,
  };
}

/**
 * Locales built once and kept: Intl constructors cost far more than a prompt's evaluation.
 * Bounded, because account locales are free text (`de-AT`, `pt-BR`, …).
 */
export class PromptLocales {
  private readonly cache = new Map<string, PromptLocale>();

  constructor(
    private readonly words: MessagesByLocale,
    private readonly copy: MessagesByLocale,
    private readonly max = 500,
  ) {}

  get(requested: string): PromptLocale {
    let found = this.cache.get(requested);
    if (!found) {
      if (this.cache.size >= this.max) this.cache.clear();
      found = promptLocale(this.words, this.copy, requested);
      this.cache.set(requested, found);
    }
    return found;
  }
}
