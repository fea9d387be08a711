import type Stripe from 'stripe';
import { customerOnClock, startHarness, type Harness } from './support/emulator-harness';
import { WebhookReceiver } from './support/webhook-receiver';

let harness: Harness;
let receiver: WebhookReceiver;
let secret: string;
beforeAll(async () => {
  harness = await startHarness();
  receiver = await new WebhookReceiver().start();
  const endpoint = await harness.stripe.webhookEndpoints.create({
    url: receiver.url,
    enabled_events: ['charge.refunded', 'refund.created', 'charge.dispute.created'],
  });
  secret = endpoint.secret ?? '';
});
afterAll(async () => {
  await harness.emulator.close();
  await receiver.stop();
});

async function paidPaymentIntent(stripe: Stripe, amount: number): Promise<Stripe.PaymentIntent> {
  const { customer, paymentMethodId } = await customerOnClock(stripe, Math.floor(Date.now() / 1000));
  return stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    customer: customer.id,
    payment_method: paymentMethodId,
    confirm: true,
  });
}

describe('refunds', () => {
  it('refunds partially, then fully, and refuses one more cent', async () => {
    const { stripe } = harness;
    const paymentIntent = await paidPaymentIntent(stripe, 5000);
    expect(paymentIntent.status).toBe('succeeded');

    const partial = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 2000 });
    expect(partial).toMatchObject({ amount: 2000, status: 'succeeded', charge: paymentIntent.latest_charge });
    expect(await stripe.charges.retrieve(paymentIntent.latest_charge as string)).toMatchObject({
      amount_captured: 5000,
      amount_refunded: 2000,
      refunded: false,
    });

    const rest = await stripe.refunds.create({ charge: paymentIntent.latest_charge as string });
    expect(rest.amount).toBe(3000);
    expect(await stripe.charges.retrieve(paymentIntent.latest_charge as string)).toMatchObject({
      amount_refunded: 5000,
      refunded: true,
    });

    await expect(stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 1 })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'charge_already_refunded',
    });
  });

  it('refuses a refund larger than what is left on the charge', async () => {
    const { stripe } = harness;
    const paymentIntent = await paidPaymentIntent(stripe, 1000);
    await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 400 });
    await expect(stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 601 })).rejects.toMatchObject({
      statusCode: 400,
      code: 'amount_too_large',
      param: 'amount',
      message: 'Refund amount ($6.01) is greater than unrefunded amount on charge ($6.00)',
    });
  });

  it('delivers charge.refunded, signed, to a registered endpoint', async () => {
    const { stripe } = harness;
    const paymentIntent = await paidPaymentIntent(stripe, 700);
    await stripe.refunds.create({ payment_intent: paymentIntent.id });
    await receiver.waitFor(() =>
      receiver.received.some(
        (webhook) =>
          webhook.body.includes(paymentIntent.latest_charge as string) && webhook.body.includes('"charge.refunded"'),
      ),
    );
    const delivery = receiver.received.find(
      (webhook) =>
        webhook.body.includes('"charge.refunded"') && webhook.body.includes(paymentIntent.latest_charge as string),
    );
    const event = stripe.webhooks.constructEvent(delivery?.body ?? '', delivery?.signature ?? '', secret);
    expect(event.type).toBe('charge.refunded');
    expect(event.data.object).toMatchObject({ id: paymentIntent.latest_charge, amount_refunded: 700, refunded: true });
    expect(event.data.previous_attributes).toMatchObject({ amount_refunded: 0, refunded: false });
  });

  it('opens a dispute through the test control and announces charge.dispute.created', async () => {
    const { stripe, emulator } = harness;
    const paymentIntent = await paidPaymentIntent(stripe, 900);
    const dispute = await emulator.control.createDispute(paymentIntent.latest_charge as string);
    await receiver.waitFor(() => receiver.ids().length > 0 && receiver.types().includes('charge.dispute.created'));
    expect(dispute).toMatchObject({ object: 'dispute', amount: 900, status: 'needs_response' });
    expect((await stripe.charges.retrieve(paymentIntent.latest_charge as string)).disputed).toBe(true);
  });

  it('answers 402 card_error and keeps the decline on the PaymentIntent', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, Math.floor(Date.now() / 1000));
    const attempt = stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_chargeDeclined',
      confirm: true,
    });
    const error = await attempt.catch((caught: Stripe.errors.StripeCardError) => caught);
    expect(error).toMatchObject({
      type: 'StripeCardError',
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    const paymentIntentId = (error as Stripe.errors.StripeCardError).payment_intent?.id ?? '';
    expect(await stripe.paymentIntents.retrieve(paymentIntentId)).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined' },
    });
  });
});
