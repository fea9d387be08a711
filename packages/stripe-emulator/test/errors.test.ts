import Stripe from 'stripe';
import { startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

describe("Stripe's error shape and statuses", () => {
  it('refuses an unknown parameter with 400 parameter_unknown naming it', async () => {
    await expect(
      harness.stripe.customers.create({ emale: 'x@example.com' } as Stripe.CustomerCreateParams),
    ).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      rawType: 'invalid_request_error',
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'emale',
      message: 'Received unknown parameter: emale',
    });
  });

  it('names a nested unknown parameter by its bracket path', async () => {
    const customer = await harness.stripe.customers.create({});
    const params = {
      customer: customer.id,
      items: [{ prise: 'price_x' }],
    } as unknown as Stripe.SubscriptionCreateParams;
    await expect(harness.stripe.subscriptions.create(params)).rejects.toMatchObject({
      code: 'parameter_unknown',
      param: 'items[0][prise]',
    });
  });

  it('refuses a missing required parameter with 400 parameter_missing', async () => {
    await expect(
      harness.stripe.prices.create({ unit_amount: 100, product_data: { name: 'X' } } as Stripe.PriceCreateParams),
    ).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'parameter_missing',
      param: 'currency',
    });
  });

  it("refuses a value of the wrong type with Stripe's parameter_invalid_* code", async () => {
    const params = {
      currency: 'usd',
      unit_amount: 'ten',
      product_data: { name: 'X' },
    } as unknown as Stripe.PriceCreateParams;
    await expect(harness.stripe.prices.create(params)).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_invalid_integer',
      param: 'unit_amount',
    });
  });

  it('answers 404 resource_missing for an id that does not exist', async () => {
    await expect(harness.stripe.customers.retrieve('cus_doesnotexist')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      message: "No such customer: 'cus_doesnotexist'",
    });
    await expect(
      harness.stripe.subscriptions.create({ customer: 'cus_gone', items: [{ price: 'price_x' }] }),
    ).rejects.toMatchObject({ statusCode: 404, param: 'customer' });
  });

  it('sends the body Stripe sends: { error: { type, code, message, param, doc_url } }', async () => {
    const response = await fetch(`${harness.emulator.url}/v1/customers/cus_missing`, {
      headers: { Authorization: `Bearer ${harness.emulator.secretKey}` },
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'id',
      doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
    });
    expect(response.headers.get('request-id')).toMatch(/^req_/);
  });

  it('requires a secret key', async () => {
    const anonymous = await fetch(`${harness.emulator.url}/v1/customers`);
    expect(anonymous.status).toBe(401);
    const wrongKey = new Stripe('pk_test_publishable', {
      host: harness.emulator.host,
      port: harness.emulator.port,
      protocol: 'http',
    });
    await expect(wrongKey.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('accepts the key as Basic auth user name, as curl -u sends it', async () => {
    const basic = Buffer.from(`${harness.emulator.secretKey}:`).toString('base64');
    const response = await fetch(`${harness.emulator.url}/v1/customers`, {
      headers: { Authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(200);
  });

  it('answers 404 for an endpoint Stripe does not have', async () => {
    await expect(harness.stripe.rawRequest('GET', '/v1/invoices/upcoming')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('refuses an expansion the object does not allow', async () => {
    const customer = await harness.stripe.customers.create({ email: 'e@example.com' });
    await expect(harness.stripe.customers.retrieve(customer.id, { expand: ['email'] })).rejects.toMatchObject({
      statusCode: 400,
      param: 'expand',
    });
  });
});
