import { Router } from 'express';
import { authenticate, type AuthSettings } from '../shared/http/authenticate';
import { emptyBodySchema, parseInput } from '../shared/http/validate';
import type { EventEndpointsService } from './event-endpoints.service';
import {
  createEndpointBody,
  deliveryParams,
  endpointParams,
  listDeliveriesQuery,
  replayRangeBody,
  rotateSecretBody,
  updateEndpointBody,
} from './event-endpoints.validators';

const BASE = '/admin/v1/event-endpoints';

/** Operators' event endpoints: CRUD, secret rotation, the delivery log and replays. */
export function buildEventEndpointsRouter(deps: { auth: AuthSettings; endpoints: EventEndpointsService }): Router {
  const router = Router();
  const admin = authenticate(deps.auth, 'admin');
  const { endpoints } = deps;

  router.post(BASE, admin, async (req, res) => {
    res.status(201).json(await endpoints.create(parseInput(createEndpointBody, req.body, 'body')));
  });
  router.get(BASE, admin, async (_req, res) => {
    res.json(await endpoints.list());
  });
  router.get(`${BASE}/:id`, admin, async (req, res) => {
    res.json(await endpoints.get(parseInput(endpointParams, req.params, 'params').id));
  });
  router.patch(`${BASE}/:id`, admin, async (req, res) => {
    const { id } = parseInput(endpointParams, req.params, 'params');
    res.json(await endpoints.update(id, parseInput(updateEndpointBody, req.body, 'body')));
  });
  router.delete(`${BASE}/:id`, admin, async (req, res) => {
    res.json(await endpoints.delete(parseInput(endpointParams, req.params, 'params').id));
  });
  router.post(`${BASE}/:id/rotate-secret`, admin, async (req, res) => {
    const { id } = parseInput(endpointParams, req.params, 'params');
    const body = parseInput(rotateSecretBody, req.body ?? {}, 'body');
    res.json(await endpoints.rotateSecret(id, body.overlap_seconds));
  });
  router.get(`${BASE}/:id/deliveries`, admin, async (req, res) => {
    const { id } = parseInput(endpointParams, req.params, 'params');
    const query = parseInput(listDeliveriesQuery, req.query, 'query');
    res.json(await endpoints.deliveries(id, query.status, query.limit));
  });
  router.post(`${BASE}/:id/deliveries/:delivery_id/replay`, admin, async (req, res) => {
    const params = parseInput(deliveryParams, req.params, 'params');
    parseInput(emptyBodySchema, req.body, 'body');
    res.json(await endpoints.replayDelivery(params.id, params.delivery_id));
  });
  router.post(`${BASE}/:id/replay`, admin, async (req, res) => {
    const { id } = parseInput(endpointParams, req.params, 'params');
    const body = parseInput(replayRangeBody, req.body, 'body');
    res.json(await endpoints.replayRange(id, body.from, body.to));
  });
  return router;
}
