import type { Prompt, PromptAction } from '../client/tierlift-types';
import { directionOf, h, uniqueId } from './dom';
import type { WidgetStrings } from './strings';

export interface PromptHandlers {
  purchase(prompt: Prompt, action: PromptAction): void;
  compare(prompt: Prompt): void;
  answer(prompt: Prompt, type: 'dismiss' | 'snooze' | 'never'): void;
  askAdmin(prompt: Prompt, action: PromptAction): void;
}

/**
 * One offer, benefits first, then the exact price and renewal terms, the saving, the guarantee
 * and why it is shown; "no" is a button as plain as "yes".
 */
export function renderPrompt(prompt: Prompt, strings: WidgetStrings, handlers: PromptHandlers): HTMLElement {
  const titleId = uniqueId('tierlift-prompt-title');
  const { copy, offer } = prompt;
  const button = (label: string, className: string, action: string, onClick: () => void) => {
    const element = h('button', { type: 'button', class: className, 'data-action': action }, label);
    element.addEventListener('click', onClick);
    return element;
  };
  const actions = prompt.actions.map((action) => {
    switch (action.type) {
      case 'purchase':
        return button(action.label, 'primary', 'purchase', () => handlers.purchase(prompt, action));
      case 'ask_admin':
        return button(action.label, 'primary', 'ask-admin', () => handlers.askAdmin(prompt, action));
      default: {
        const type = action.type;
        return button(action.label, type === 'dismiss' ? '' : 'link', type, () => handlers.answer(prompt, type));
      }
    }
  });
  const compare = button(copy.compare, '', 'compare', () => handlers.compare(prompt));
  actions.splice(1, 0, compare);
  return h(
    'article',
    {
      class: 'prompt',
      'aria-labelledby': titleId,
      lang: copy.locale,
      dir: directionOf(copy.locale),
      'data-prompt-id': prompt.id,
      'data-kind': prompt.kind,
      'data-offer': offer.code,
    },
    h('h2', { id: titleId }, copy.title),
    h('p', {}, copy.body),
    copy.benefits.length > 0 &&
      h(
        'ul',
        {},
        copy.benefits.map((benefit) => h('li', {}, benefit)),
      ),
    copy.social_proof.length > 0 && h('p', { class: 'muted' }, copy.social_proof.join(' ')),
    h(
      'p',
      {
        class: 'price',
        'data-amount': offer.price.amount,
        'data-currency': offer.price.currency,
        'data-price-basis': offer.price_basis ?? 'list',
      },
      h('span', { class: 'visually-hidden' }, `${strings.price}: `),
      offer.price.words,
    ),
    // NOTE: a list price is labelled as one; the amount due now (after proration credit) is the quote's.
    offer.price_note && h('p', { class: 'terms', 'data-price-note': true }, offer.price_note),
    h('p', { class: 'terms' }, offer.renewal_terms),
    offer.savings && h('p', { class: 'savings' }, offer.savings.words),
    copy.ends && h('p', { class: 'terms' }, copy.ends),
    copy.guarantee && h('p', { class: 'badge', 'data-guarantee-days': offer.guarantee_days ?? '' }, copy.guarantee),
    Boolean(copy.guarantee) &&
      (copy.guarantee_terms ?? []).length > 0 &&
      h(
        'ul',
        { class: 'muted', 'data-guarantee-terms': true },
        (copy.guarantee_terms ?? []).map((term) => h('li', {}, term)),
      ),
    copy.details.length > 0 &&
      h(
        'ul',
        { class: 'muted' },
        copy.details.map((detail) => h('li', {}, detail)),
      ),
    copy.ask_admin_note && h('p', { class: 'note', 'data-ask-admin-note': true }, copy.ask_admin_note),
    h('details', {}, h('summary', {}, strings.why), h('p', { class: 'reason' }, prompt.reason.text)),
    h('div', { class: 'actions' }, actions),
  );
}
