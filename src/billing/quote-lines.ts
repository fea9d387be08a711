import { formatMoney } from '../shared/money';

/** One invoice line as Stripe previewed it, reduced to what a person needs to read it. */
export interface PreviewLine {
  amount: number;
  /** What discounts take off this line (a bundle's coupon), in minor units; `amount` is before them. */
  discount?: number;
  /** The same, per coupon (when Stripe's preview expanded `discount_amounts.discount`). */
  couponDiscounts?: Array<{ coupon: string | null; amount: number }>;
  quantity: number;
  proration: boolean;
  /** The catalog item the line's price sells ('plan' | 'add_on', code), when known. */
  item?: { kind: 'plan' | 'add_on'; code: string };
  /** Stripe's own (English) description, the last resort. */
  stripeDescription: string;
  period: { start: number; end: number };
}

export interface QuoteLine {
  description: string;
  amount: number;
  formatted: string;
  discount: number;
  proration: boolean;
  period: { start: string; end: string };
}

type Words = { unused: string; remaining: string; until: string };

/** NOTE: words for Stripe's proration lines ("Unused time on …", "Remaining time on …") in each catalog locale. */
const WORDS: Record<string, Words> = {
  en: { unused: 'Unused time on {item}', remaining: 'Remaining time on {item}', until: 'until {date}' },
  de: { unused: 'Nicht genutzte Zeit: {item}', remaining: 'Restlaufzeit: {item}', until: 'bis {date}' },
  es: { unused: 'Tiempo no usado de {item}', remaining: 'Tiempo restante de {item}', until: 'hasta el {date}' },
  ru: { unused: 'Неиспользованное время: {item}', remaining: 'Оставшееся время: {item}', until: 'до {date}' },
  uz: { unused: 'Foydalanilmagan vaqt: {item}', remaining: 'Qolgan vaqt: {item}', until: '{date} gacha' },
  ja: { unused: '{item} の未使用期間', remaining: '{item} の残り期間', until: '{date} まで' },
  ar: { unused: 'الوقت غير المستخدم من {item}', remaining: 'الوقت المتبقي من {item}', until: 'حتى {date}' },
};

const fill = (template: string, vars: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (match, name: string) => vars[name] ?? match);

/**
 * Pure: Stripe's preview lines in the account's words. Amounts are Stripe's, untouched;
 * only the descriptions are ours. `itemName` gives the catalog's localised name.
 */
export function quoteLines(
  lines: PreviewLine[],
  input: { currency: string; locale: string; itemName: (item: { kind: 'plan' | 'add_on'; code: string }) => string },
): QuoteLine[] {
  const language = input.locale.split('-')[0] ?? 'en';
  const words = WORDS[language] ?? (WORDS.en as Words);
  const date = new Intl.DateTimeFormat(input.locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return lines.map((line) => {
    const name = line.item ? input.itemName(line.item) : line.stripeDescription;
    const item = line.quantity > 1 ? `${line.quantity} × ${name}` : name;
    const until = fill(words.until, { date: date.format(new Date(line.period.end * 1000)) });
    const base = line.proration ? fill(line.amount < 0 ? words.unused : words.remaining, { item }) : item;
    return {
      // NOTE: a one-time item (an invoice item: no period of service) has nothing it runs "until".
      description: line.period.end > line.period.start ? `${base} (${until})` : base,
      amount: line.amount,
      formatted: formatMoney(line.amount, input.currency, input.locale),
      discount: line.discount ?? 0,
      proration: line.proration,
      period: {
        start: new Date(line.period.start * 1000).toISOString(),
        end: new Date(line.period.end * 1000).toISOString(),
      },
    };
  });
}
