import { formatMinor } from '../../src/web/browser/widget/money';

/** The widget shows the exact amount the API sends, in minor units, with Stripe's exponents. */
describe('widget money', () => {
  it.each([
    [4900, 'usd', 'en-US', '$49.00'],
    [4900, 'jpy', 'ja-JP', '￥4,900'],
    [4900, 'kwd', 'en-US', 'KWD 4.900'],
    [4900, 'mga', 'en-US', 'MGA 4,900'],
    [-1250, 'eur', 'de-DE', '-12,50 €'],
  ])('formats %d %s in %s as %s', (amount, currency, locale, expected) => {
    expect(formatMinor(amount, currency, locale).replace(/\u00a0/g, ' ')).toBe(expected);
  });
});
