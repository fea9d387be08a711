import { formatMoney } from '../../src/shared/money';
import { promptLocale } from '../../src/offers/prompt-locale';
import { catalogWords, offerCopy } from './support/offer-fixtures';

describe('prompt locales', () => {
  test.each([
    ['en-US', 1900, 'usd'],
    ['de-DE', 1900, 'eur'],
    ['de-AT', 123456, 'eur'],
    ['ja-JP', 2800, 'jpy'],
    ['ru-RU', 6000, 'kwd'],
    ['uz-UZ', 9900000, 'uzs'],
    ['es-BR', 4900, 'brl'],
    ['xx', 1900, 'usd'],
  ])('%s formats %s %s exactly as shared/money does', (locale, amount, currency) => {
    const prompt = promptLocale(catalogWords, offerCopy, locale);
    expect(prompt.money(amount, currency).formatted).toBe(formatMoney(amount, currency, prompt.formatLocale));
  });

  it('falls back to English copy for a language without offers copy, keeping the account’s formats', () => {
    const prompt = promptLocale(catalogWords, offerCopy, 'fr-FR');
    expect(prompt.copy.locale).toBe('en');
    expect(prompt.copy.t('common.decline')).toBe('No thanks');
  });
});
