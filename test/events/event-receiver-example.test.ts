import http from 'node:http';
import request from 'supertest';
import { eventReceiver } from '../../examples/event-receiver/receiver';
import { decimalAmount, type OutgoingRequest } from '../../examples/event-receiver/mappings';
import { deliveryBody, DeliverySigner } from '../../src/events/delivery-signer';

const SECRET = `whsec_${Buffer.from('example-receiver-secret-0123456789').toString('base64')}`;

describe('examples/event-receiver', () => {
  const forwarded: Array<{ target: string; request: OutgoingRequest }> = [];
  const server = http.createServer(
    eventReceiver({ secrets: [SECRET], forward: (target, req) => forwarded.push({ target, request: req }) }),
  );
  beforeEach(() => forwarded.splice(0));

  const deliver = (event: { id: string; type: string; account_id: string | null; data: object }, tamper = false) => {
    const body = deliveryBody({
      ...event,
      version: 1,
      occurred_at: new Date('2026-06-01T12:00:00Z'),
      data: JSON.stringify(event.data),
    });
    const headers = new DeliverySigner().headers({ id: event.id, body, at: new Date(), secrets: [SECRET] });
    return request(server)
      .post('/')
      .set(headers)
      .set('content-type', 'application/json')
      .send(tamper ? body.replace('1900', '19') : body);
  };

  it('maps a purchase to a HubSpot deal, a Salesforce opportunity and a Klaviyo event with value', async () => {
    const res = await deliver({
      id: 'evt_purchase000000000000001',
      type: 'purchase.completed',
      account_id: 'acct_1',
      data: { purchase_id: 'pur_1', kind: 'plan_change', amount: 1900, currency: 'eur', change_id: 'op_1' },
    });
    expect(res.status).toBe(204);
    const by = (target: string) => forwarded.filter((f) => f.target === target).map((f) => f.request);
    expect(by('hubspot')).toEqual([
      expect.objectContaining({
        url: 'https://api.hubapi.com/crm/v3/objects/deals',
        body: {
          properties: expect.objectContaining({ amount: '19', deal_currency_code: 'EUR', dealstage: 'closedwon' }),
        },
      }),
    ]);
    expect(by('salesforce')[0]).toMatchObject({
      method: 'POST',
      url: expect.stringMatching(/\/sobjects\/Opportunity$/),
      body: { StageName: 'Closed Won', Amount: 19, CurrencyIsoCode: 'EUR', CloseDate: '2026-06-01' },
    });
    expect(by('klaviyo')[0]).toMatchObject({
      url: 'https://a.klaviyo.com/api/events',
      headers: { revision: '2024-10-15' },
      body: {
        data: {
          attributes: {
            value: 19,
            value_currency: 'EUR',
            unique_id: 'evt_purchase000000000000001',
            metric: { data: { attributes: { name: 'Tierlift purchase.completed' } } },
            profile: { data: { attributes: { external_id: 'acct_1' } } },
          },
        },
      },
    });
  });

  it('maps a new account to a contact upsert, an Account upsert by external id and a Klaviyo profile', async () => {
    await deliver({
      id: 'evt_account0000000000000001',
      type: 'account.created',
      account_id: 'acct_2',
      data: { account_id: 'acct_2', name: 'Acme', email: 'ops@acme.test', country: 'DE', locale: 'de' },
    }).expect(204);
    const targets = forwarded.map((f) => `${f.target} ${f.request.method} ${f.request.url}`);
    expect(targets).toEqual([
      'hubspot POST https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert',
      'salesforce PATCH https://example.my.salesforce.com/services/data/v60.0/sobjects/Account/Tierlift_Account_Id__c/acct_2',
      'klaviyo POST https://a.klaviyo.com/api/profile-import',
      'klaviyo POST https://a.klaviyo.com/api/events',
    ]);
    expect(forwarded[0]!.request.body).toMatchObject({ inputs: [{ idProperty: 'email', id: 'ops@acme.test' }] });
  });

  it('refuses a tampered or unsigned delivery and forwards nothing; a repeated webhook-id once', async () => {
    const event = {
      id: 'evt_tamper00000000000000001',
      type: 'refund.succeeded',
      account_id: 'acct_3',
      data: { amount: 1900, currency: 'usd' },
    };
    expect((await deliver(event, true)).status).toBe(400);
    expect((await request(server).post('/').send({ id: 'x' })).status).toBe(400);
    expect(forwarded).toHaveLength(0);
    await deliver(event).expect(204);
    const once = forwarded.length;
    await deliver(event).expect(204);
    expect(forwarded).toHaveLength(once);
  });

  it('converts minor units by the currency exponent', () => {
    expect(decimalAmount(1900, 'usd')).toBe(19);
    expect(decimalAmount(1900, 'jpy')).toBe(1900);
    expect(decimalAmount(1900, 'kwd')).toBe(1.9);
  });
});
