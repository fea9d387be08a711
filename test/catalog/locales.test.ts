import { missingKeys, resolveLocale, SUPPORTED_LOCALES } from '../../src/catalog/catalog-messages';
import { createTranslator } from '../../src/catalog/translator';
import { demoCatalog } from './support/demo-catalog';

describe('locale message catalogs', () => {
  const { messages } = demoCatalog();

  it('ships every supported locale', () => {
    expect(Object.keys(messages).sort()).toEqual([...SUPPORTED_LOCALES].sort());
  });

  it.each(SUPPORTED_LOCALES)('%s has every key that en has', (locale) => {
    expect(missingKeys(messages, locale)).toEqual([]);
  });

  it('keeps every placeholder of the English message in each translation', () => {
    const english = messages.en ?? {};
    const lost: string[] = [];
    for (const locale of SUPPORTED_LOCALES) {
      for (const [key, text] of Object.entries(english)) {
        // ICU arguments: `{days}`, `{days, plural, …}`, `{percent, number, …}` all name `days`/`percent`.
        for (const [, name] of text.matchAll(/\{(\w+)(?=[,}])/g)) {
          if (!new RegExp(`\\{${name}(?=[,}])`).test(messages[locale]?.[key] ?? ''))
            lost.push(`${locale}:${key} {${name}}`);
        }
      }
    }
    expect(lost).toEqual([]);
  });

  it('finds a missing key', () => {
    const broken = { en: { 'words.free': 'Free', 'words.included': 'Included' }, de: { 'words.free': 'Kostenlos' } };
    expect(missingKeys(broken, 'de')).toEqual(['words.included']);
  });

  it.each([
    ['de-AT', 'de'],
    ['de_CH', 'de'],
    ['JA-jp', 'ja'],
    ['uz-Latn-UZ', 'uz'],
    ['fr-FR', 'en'],
    ['klingon', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('resolves %s to %s', (requested, expected) => {
    expect(resolveLocale(requested, SUPPORTED_LOCALES)).toBe(expected);
  });

  it('falls back to English for a key a locale lacks', () => {
    const tr = createTranslator({ en: { 'words.free': 'Free' }, de: {} }, 'de');
    expect(tr.locale).toBe('de');
    expect(tr.t('words.free')).toBe('Free');
  });

  it('chooses the plural form of the locale', () => {
    const ru = createTranslator(messages, 'ru');
    expect([1, 3, 25].map((n) => ru.unit('project', n))).toEqual(['проект', 'проекта', 'проектов']);
    const en = createTranslator(messages, 'en');
    expect([1, 2].map((n) => en.unit('seat', n))).toEqual(['seat', 'seats']);
  });
});
