import type { DisplayMoney } from '../catalog/display-money';
import type { Translator } from '../catalog/translator';
import type { OfferTarget } from './offers.types';

export interface PromptTerms {
  price: DisplayMoney & { words: string };
  savings: (DisplayMoney & { words: string }) | null;
  discount: { percent_off: number; regular_price: DisplayMoney } | null;
  renewal: string;
}

/**
 * The exact money of an offer in the account's currency and words: price, saving, renewal
 * terms. Catalog words (`price.month`) for the price; offer copy for saving and renewal.
 */
export function promptTerms(
  target: OfferTarget,
  words: Translator,
  copy: Translator,
  format: (amount: number, currency: string) => DisplayMoney,
): PromptTerms {
  const money = (amount: number) => format(amount, target.currency);
  const price = money(target.amount);
  const interval = target.interval;
  const priceWords = words.t(`price.${interval}`, { amount: price.formatted });
  if (target.type === 'bundle') {
    const saving = money(target.discount);
    const renewal = money(target.renewal);
    return {
      price: { ...price, words: priceWords },
      savings:
        target.discount > 0
          ? {
              ...saving,
              words: copy.t('common.saving_bundle', { percent: target.percentOff, amount: saving.formatted }),
            }
          : null,
      discount: { percent_off: target.percentOff, regular_price: money(target.regular) },
      renewal: copy.t('common.renewal_bundle', {
        price: price.formatted,
        renewal: renewal.formatted,
        interval: words.t(`intervals.${interval}`),
      }),
    };
  }
  const saving = target.type === 'plan' && target.annualSaving !== null ? money(target.annualSaving) : null;
  return {
    price: { ...price, words: priceWords },
    savings: saving ? { ...saving, words: copy.t('common.saving_annual', { amount: saving.formatted }) } : null,
    discount: null,
    renewal: copy.t(`common.renewal_${interval}`, { price: price.formatted }),
  };
}
