import type { MessagesByLocale } from '../catalog/catalog-messages';
import { formattingLocale, type DisplayMoney } from '../catalog/display-money';
import { currencyExponent, toDecimalString } from '../shared/money';
import { createTranslator, type Translator } from '../catalog/translator';
import { compiledTranslator } from './prompt-messages';

const DAY_MS = 24 * 3600 * 1000;
/** Formatted amounts and dates kept per locale: prices are few, dates are days. */
const MAX_KEPT = 2_000;

/** `format` with its answers kept by key (bounded): Intl formatting costs more than a prompt's arithmetic. */
function kept<K, V>(format: (key: K) => V): (key: K) => V {
  const answers = new Map<K, V>();
  return (key) => {
    let answer = answers.get(key);
    if (answer === undefined) {
      if (answers.size >= MAX_KEPT) answers.clear();
      answer = format(key);
      answers.set(key, answer);
    }
    return answer;
  };
}

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
  const copyTr = compiledTranslator(createTranslator(copy, requested, formatLocale), copy);
  const dates = new Intl.DateTimeFormat(formatLocale, { dateStyle: 'long', timeZone: 'UTC' });
  // NOTE: a long date in UTC names the UTC day only, so one answer per day serves every time in it.
  const dayWords = kept((day: number) => dates.format(new Date(day * DAY_MS)));
  const currencies = new Map<string, Intl.NumberFormat>();
  const formatted = kept((key: string) => {
    const [currency = '', amount = ''] = key.split(' ');
    let format = currencies.get(currency);
    if (!format) {
      const digits = currencyExponent(currency);
      const options = { minimumFractionDigits: digits, maximumFractionDigits: digits };
      format = new Intl.NumberFormat(formatLocale, { style: 'currency', currency: currency.toUpperCase(), ...options });
      currencies.set(currency, format);
    }
    return format.format(Number(toDecimalString(Number(amount), currency)));
  });
  const money = (amount: number, currency: string): DisplayMoney => ({
    amount,
    currency,
    formatted: formatted(`${currency} ${amount}`),
  });
  return {
    words: compiledTranslator(createTranslator(words, requested, formatLocale), words),
    copy: copyTr,
    formatLocale,
    date: (at) => {
      const ms = at.getTime();
      return Number.isFinite(ms) ? dayWords(Math.floor(ms / DAY_MS)) : dates.format(at);
    },
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
