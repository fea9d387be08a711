import { createTranslator } from '../../src/catalog/translator';
import type { MessagesByLocale } from '../../src/catalog/catalog-messages';
import type { MessageValues } from '../../src/catalog/message-format';
import { compiledTranslator } from '../../src/offers/prompt-messages';
import { catalogWords, offerCopy } from './support/offer-fixtures';

/** Every placeholder name a message may use, filled with a value of each kind the renderer passes. */
const STRING_VALUES = new Proxy({} as Record<string, string>, {
  get: (_t, name) => `«${String(name)}»`,
  has: () => true,
});
const NUMBER_VALUES = new Proxy({} as Record<string, number>, { get: () => 1234.5, has: () => true });
/** Selects' real choices (feature facts), other names as text. */
const SELECT_VALUES = (choice: Record<string, string | number>) =>
  new Proxy({} as Record<string, string | number>, {
    get: (_t, name) => choice[String(name)] ?? `«${String(name)}»`,
    has: () => true,
  });
const ONE_VALUES = new Proxy({} as Record<string, number>, { get: () => 1, has: () => true });

const LOCALES = ['en-US', 'de-DE', 'de-AT', 'ja-JP', 'ru-RU', 'uz-UZ', 'es-BR', 'ar-EG', 'fr-FR'];

const outcome = (fill: () => string) => {
  try {
    return fill();
  } catch (error) {
    return `threw ${(error as Error).name}`;
  }
};

describe('compiled prompt messages', () => {
  const sources: Array<[string, MessagesByLocale]> = [
    ['catalog words', catalogWords],
    ['offer copy', offerCopy],
  ];
  describe.each(sources)('%s', (_name, messages) => {
    const keys = [...new Set(Object.values(messages).flatMap((m) => Object.keys(m)))];
    test.each(LOCALES)('in %s every message reads exactly as ICU formats it', (locale) => {
      const sut = compiledTranslator(createTranslator(messages, locale), messages);
      const reference = createTranslator(messages, locale);
      const valueSets: Array<MessageValues | undefined> = [
        undefined,
        {},
        STRING_VALUES,
        NUMBER_VALUES,
        ONE_VALUES,
        SELECT_VALUES({ gate: 'limited', room: 'limit' }),
        SELECT_VALUES({ gate: 'missing', room: 'unlimited' }),
        SELECT_VALUES({ gate: 'missing', room: 'benefit' }),
        SELECT_VALUES({ room: 'limit', percent: 83.3, days: 1, value: 2500, count: 1 }),
        SELECT_VALUES({ room: 'unlimited', percent: 100, days: 14, value: 1, count: 5 }),
        SELECT_VALUES({ room: 'benefit', percent: 0, days: 0, value: 0, count: 0 }),
      ];
      for (const key of keys)
        for (const values of valueSets)
          expect([key, outcome(() => sut.t(key, values))]).toEqual([key, outcome(() => reference.t(key, values))]);
    });
  });

  it('reads plain arguments, numbers, plurals, selects, quotes and a missing key as ICU does', () => {
    const messages = {
      de: {
        plain: 'Save {amount} on {plan}',
        quoted: "It''s '{'literal'}' for {name}",
        counted: '{n, plural, one {# seat} other {# seats}}',
        number: 'Now {percent}%',
        empty: '',
        chosen: '{room, select, limit {up to {target}} unlimited {no limit} other {more}} today',
        used: 'Used {percent, number, ::percent scale/0.01} in {days, plural, one {# day} other {# days}}',
        named: '{days, plural, one {# day for {name}} other {# days for {name}}}',
      },
    };
    const sut = compiledTranslator(createTranslator(messages, 'de-DE'), messages);
    expect(sut.t('plain', { amount: '12,00 €', plan: 'Pro' })).toBe('Save 12,00 € on Pro');
    expect(sut.t('quoted', { name: 'Ann' })).toBe("It's {literal} for Ann");
    expect(sut.t('counted', { n: 1000 })).toBe('1.000 seats');
    expect(sut.t('number', { percent: 1234.5 })).toBe('Now 1234.5%');
    expect(sut.t('empty')).toBe('');
    expect(sut.t('chosen', { room: 'limit', target: '50' })).toBe('up to 50 today');
    expect(sut.t('chosen', { room: 'elsewhere', target: '50' })).toBe('more today');
    expect(() => sut.t('chosen', { target: '50' })).toThrow();
    expect(sut.t('used', { percent: 83.25, days: 1 })).toBe('Used 83\u00a0% in 1 day');
    expect(sut.t('used', { percent: 120, days: 1000 })).toBe('Used 120\u00a0% in 1.000 days');
    expect(sut.t('named', { days: 2, name: 'Ann' })).toBe('2 days for Ann');
    expect(sut.t('absent.key')).toBe('absent.key');
    expect(() => sut.t('plain', { amount: 'x' })).toThrow();
  });
});
