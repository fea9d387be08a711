import { missingKeys, SUPPORTED_LOCALES } from '../../src/catalog/catalog-messages';
import { offerCopy, seededRules } from './support/offer-fixtures';
import { URGENCY } from './support/urgency';

/** Copy that may speak of time: shown only with a real end date. */
// A trial's note speaks of today and of its end: a real length, from the catalog.
const TIMED_KEYS = new Set(['common.ends_at', 'reason.seasonal', 'common.price_note_trial']);

describe('offer copy', () => {
  test.each(SUPPORTED_LOCALES.map((l) => [l]))('%s has every key English has', (locale) => {
    expect(offerCopy[locale]).toBeDefined();
    expect(missingKeys(offerCopy, locale)).toEqual([]);
  });

  test.each(SUPPORTED_LOCALES.map((l) => [l]))('%s copy uses no urgency words outside the end-date line', (locale) => {
    const pressing = Object.entries(offerCopy[locale] ?? {}).filter(
      ([key, text]) => !TIMED_KEYS.has(key) && URGENCY[locale]!.test(text),
    );
    expect(pressing).toEqual([]);
  });

  it('every rule’s copy exists in both tone variants in every locale', () => {
    for (const rule of seededRules().rules)
      for (const locale of SUPPORTED_LOCALES)
        for (const variant of ['direct', 'gentle'])
          for (const field of ['title', 'body', 'cta'])
            expect(offerCopy[locale]?.[`offers.${rule.copy}.${variant}.${field}`]).toBeTruthy();
  });

  // NOTE: a prompt a feature triggered leads with that trigger (issue #22); every other body leads with the benefit.
  const TRIGGER_LED = /^offers\.(usage_limit_reached|usage_approaching_limit|feature_gate_upgrade)\./;

  it('bodies put the benefit first, except those a feature triggered, which lead with it', () => {
    for (const [locale, messages] of Object.entries(offerCopy))
      for (const [key, text] of Object.entries(messages)) {
        if (!key.endsWith('.body')) continue;
        if (TRIGGER_LED.test(key)) expect(`${locale}:${text}`).not.toMatch(new RegExp(`^${locale}:\\{benefit\\}`));
        else expect(`${locale}:${text}`).toMatch(new RegExp(`^${locale}:\\{benefit\\}`));
      }
  });
});
