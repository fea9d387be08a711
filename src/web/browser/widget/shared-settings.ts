export interface WidgetSettings {
  getToken?: () => Promise<string>;
  baseUrl?: string;
  /** A Stripe publishable key: 3-D Secure then runs in Stripe.js's own modal. */
  stripePublishableKey?: string;
}

/** Settings every Tierlift element on the page shares (TierliftPrompt.configure). */
export const sharedSettings: WidgetSettings = {};
