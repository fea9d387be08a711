import { buildOpenApiDocument } from '../../src/openapi/build-openapi-document';
import { API_INFO } from '../../src/openapi/openapi.routes';
import { allRouteSpecs } from '../../src/openapi/all-routes';
import { outboundEventEnvelope, outboundEventWebhooks } from '../../src/events/outbound-event-schemas';
import { OUTBOUND_EVENT_TYPES } from '../../src/events/outbound-event-types';
import { deliveryBody } from '../../src/events/delivery-signer';

describe('the event catalog in the OpenAPI document', () => {
  const document = buildOpenApiDocument(allRouteSpecs, API_INFO, outboundEventWebhooks) as {
    webhooks: Record<string, { post: { requestBody: { content: { 'application/json': { schema: unknown } } } } }>;
  };

  it('publishes one webhook per event type, each with its payload schema', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual([...OUTBOUND_EVENT_TYPES].sort());
    const schema = document.webhooks['purchase.completed']!.post.requestBody.content['application/json'].schema as {
      properties: { data: { properties: Record<string, unknown> }; type: { const: string } };
    };
    expect(schema.properties.type.const).toBe('purchase.completed');
    expect(Object.keys(schema.properties.data.properties)).toEqual(
      expect.arrayContaining(['purchase_id', 'amount', 'currency']),
    );
  });

  it('a delivery body matches its envelope, and a wrong type or missing field does not', () => {
    const body = deliveryBody({
      id: 'evt_0123456789abcdef0123',
      type: 'refund.succeeded',
      version: 1,
      account_id: 'acct_1',
      occurred_at: new Date('2026-05-01T00:00:00Z'),
      data: JSON.stringify({
        refund_claim_id: 'rc_1',
        purchase_id: 'pur_1',
        product: 'plan:pro',
        source: 'customer',
        within_policy: true,
        amount: 1900,
        currency: 'usd',
      }),
    });
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(outboundEventEnvelope('refund.succeeded').safeParse(parsed).success).toBe(true);
    expect(outboundEventEnvelope('purchase.completed').safeParse(parsed).success).toBe(false);
    const { amount: _amount, ...withoutAmount } = parsed.data as Record<string, unknown>;
    expect(outboundEventEnvelope('refund.succeeded').safeParse({ ...parsed, data: withoutAmount }).success).toBe(false);
  });
});
