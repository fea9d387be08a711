/** The parts of Stripe.js the widget uses (https://docs.stripe.com/js/payment_intents/handle_next_action). */
interface StripeJs {
  handleNextAction(options: { clientSecret: string }): Promise<{ error?: { message?: string } }>;
}
type StripeFactory = (publishableKey: string) => StripeJs;

let loading: Promise<StripeFactory> | null = null;

/** Loads Stripe.js from js.stripe.com once (Stripe requires it be loaded from there, never bundled). */
function loadStripeJs(): Promise<StripeFactory> {
  const existing = (window as unknown as { Stripe?: StripeFactory }).Stripe;
  if (existing) return Promise.resolve(existing);
  loading ??= new Promise<StripeFactory>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'https://js.stripe.com/v3/';
    script.async = true;
    script.onload = () => {
      const factory = (window as unknown as { Stripe?: StripeFactory }).Stripe;
      if (factory) resolve(factory);
      else reject(new Error('Stripe.js did not load'));
    };
    script.onerror = () => {
      loading = null;
      reject(new Error('Stripe.js could not be loaded'));
    };
    document.head.append(script);
  });
  return loading;
}

/** 3-D Secure (or another next action) in Stripe's own modal; resolves when the customer is done. */
export async function handleNextAction(publishableKey: string, clientSecret: string): Promise<void> {
  const stripe = (await loadStripeJs())(publishableKey);
  const result = await stripe.handleNextAction({ clientSecret });
  if (result.error) throw new Error(result.error.message ?? 'Authentication failed');
}
