import request from 'supertest';
import { recordOutboundEvent } from '../../src/events/record-outbound-event';
import { adminAuth } from '../support/tokens';
import type { Scenario, ScenarioContext } from './scenarios';

/** Rows for /admin/v1/event-endpoints (issue #21), appended to scenarios.ts's list. */
const api = (c: ScenarioContext) => request(c.h.app);
const base = '/admin/v1/event-endpoints';
const endpoint = (c: ScenarioContext) => `${base}/${c.state.endpointId}`;

export const eventEndpointScenarios: Scenario[] = [
  {
    route: `POST ${base}`,
    name: 'an endpoint',
    status: 201,
    send: (c) =>
      api(c)
        .post(base)
        .set('Authorization', adminAuth)
        .send({ url: 'http://127.0.0.1:9/hooks', event_types: ['account.created'], description: 'CRM' }),
    after: async (c, res) => {
      c.state.endpointId = res.body.id;
      await recordOutboundEvent(c.h.db.dataSource.manager, {
        type: 'account.created',
        accountId: 'acct_scenario_events',
        data: { account_id: 'acct_scenario_events' },
      });
      await c.h.services.events.worker.runOnce();
      const log = await api(c)
        .get(`${endpoint(c)}/deliveries`)
        .set('Authorization', adminAuth);
      c.state.deliveryId = log.body.data[0].id;
    },
  },
  {
    route: `POST ${base}`,
    name: 'an unknown event type',
    status: 400,
    send: (c) =>
      api(c)
        .post(base)
        .set('Authorization', adminAuth)
        .send({ url: 'https://x.test', event_types: ['nope.x'] }),
  },
  {
    route: `GET ${base}`,
    name: 'the list',
    status: 200,
    send: (c) => api(c).get(base).set('Authorization', adminAuth),
  },
  {
    route: `GET ${base}/{id}`,
    name: 'one',
    status: 200,
    send: (c) => api(c).get(endpoint(c)).set('Authorization', adminAuth),
  },
  {
    route: `GET ${base}/{id}`,
    name: 'unknown',
    status: 404,
    send: (c) => api(c).get(`${base}/ep_none`).set('Authorization', adminAuth),
  },
  {
    route: `PATCH ${base}/{id}`,
    name: 'a new description',
    status: 200,
    send: (c) => api(c).patch(endpoint(c)).set('Authorization', adminAuth).send({ description: 'HubSpot' }),
  },
  {
    route: `POST ${base}/{id}/rotate-secret`,
    name: 'rotates',
    status: 200,
    send: (c) =>
      api(c)
        .post(`${endpoint(c)}/rotate-secret`)
        .set('Authorization', adminAuth)
        .send({ overlap_seconds: 60 }),
  },
  {
    route: `GET ${base}/{id}/deliveries`,
    name: 'the log',
    status: 200,
    send: (c) =>
      api(c)
        .get(`${endpoint(c)}/deliveries?limit=5`)
        .set('Authorization', adminAuth),
  },
  {
    route: `POST ${base}/{id}/deliveries/{delivery_id}/replay`,
    name: 'one delivery again',
    status: 200,
    send: (c) =>
      api(c)
        .post(`${endpoint(c)}/deliveries/${c.state.deliveryId}/replay`)
        .set('Authorization', adminAuth)
        .send({}),
  },
  {
    route: `POST ${base}/{id}/replay`,
    name: 'a time range',
    status: 200,
    send: (c) =>
      api(c)
        .post(`${endpoint(c)}/replay`)
        .set('Authorization', adminAuth)
        .send({ from: '2020-01-01T00:00:00Z', to: '2040-01-01T00:00:00Z' }),
  },
  {
    route: `DELETE ${base}/{id}`,
    name: 'deletes',
    status: 200,
    send: (c) => api(c).delete(endpoint(c)).set('Authorization', adminAuth),
  },
];
