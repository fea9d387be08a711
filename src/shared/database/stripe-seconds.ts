/**
 * Stripe dates a payment to the whole second (`status_transitions.paid_at`), while our clicks and
 * exposures carry milliseconds: the payment happened somewhere in [paid_at, paid_at + 1 s). SQL that
 * asks "did this click or exposure come before the payment?" compares with this bound, or a click
 * 400 ms into the paying second would count as after it and lose its attribution.
 */
export const STRIPE_PAID_BY = (paidAt: string): string => `(${paidAt} + interval '1 second')`;
