/**
 * The drop-in prompt widget: `<script src="https://billing.example.com/assets/tierlift-prompt.js"></script>`
 * then `<tierlift-prompt placement="dashboard"></tierlift-prompt>` and a token callback:
 *
 *   TierliftPrompt.configure({ getToken: () => fetch('/my-saas/tierlift-token').then((r) => r.text()) });
 *
 * or per element: `document.querySelector('tierlift-prompt').getToken = async () => token`.
 * Attributes: placement, feature (feature_gate), base-url (defaults to where this script came
 * from), locale (the widget's own words; offers come in the account's locale), stripe-publishable-key.
 * Events (bubbling, composed): tierlift:change, tierlift:checkout (cancelable), tierlift:ask-admin, tierlift:error.
 */
import { TierliftBillingElement } from './billing-element';
import { TierliftPricingTableElement } from './pricing-table-element';
import { sharedSettings, TierliftPromptElement, type WidgetSettings } from './tierlift-prompt-element';

const scriptOrigin = (() => {
  const script = document.currentScript;
  if (script instanceof HTMLScriptElement && script.src) return new URL(script.src).origin;
  return undefined;
})();
if (scriptOrigin) sharedSettings.baseUrl = scriptOrigin;

export const TierliftPrompt = {
  /** Settings for every widget on the page; call before or after the elements appear. */
  configure(settings: WidgetSettings): void {
    Object.assign(sharedSettings, settings);
    for (const element of document.querySelectorAll('tierlift-prompt, tierlift-pricing-table, tierlift-billing'))
      if (
        element instanceof TierliftPromptElement ||
        element instanceof TierliftPricingTableElement ||
        element instanceof TierliftBillingElement
      )
        void element.refresh();
  },
  Element: TierliftPromptElement,
  PricingTableElement: TierliftPricingTableElement,
  BillingElement: TierliftBillingElement,
};

declare global {
  interface Window {
    TierliftPrompt: typeof TierliftPrompt;
  }
  interface HTMLElementTagNameMap {
    'tierlift-prompt': TierliftPromptElement;
    'tierlift-pricing-table': TierliftPricingTableElement;
    'tierlift-billing': TierliftBillingElement;
  }
}

window.TierliftPrompt = TierliftPrompt;
if (!customElements.get('tierlift-prompt')) customElements.define('tierlift-prompt', TierliftPromptElement);
if (!customElements.get('tierlift-pricing-table'))
  customElements.define('tierlift-pricing-table', TierliftPricingTableElement);
if (!customElements.get('tierlift-billing')) customElements.define('tierlift-billing', TierliftBillingElement);
