import { Router } from 'express';
import { authenticate, type AuthSettings } from '../shared/http/authenticate';
import { parseInput } from '../shared/http/validate';
import { declareWinnerSchema, experimentKeyParamsSchema } from './experiment.schema';
import { operatorOf } from '../shared/http/authenticate';
import { experimentView } from './experiment.view';
import type { ExperimentsModule } from './experiments.module';
import type { OffersService } from '../offers/offers.service';
import {
  createExperiment,
  deleteExperiment,
  found,
  replaceExperiment,
  startExperiment,
  stopExperiment,
} from './manage-experiments';

export interface ExperimentsRouteDeps {
  auth: AuthSettings;
  experiments: ExperimentsModule;
  offers: OffersService;
}

/** /admin/v1/experiments: operators define, start, stop and read experiments on offers. */
export function buildExperimentsRouter(deps: ExperimentsRouteDeps): Router {
  const router = Router();
  const admin = authenticate(deps.auth, 'admin');
  const { repository } = deps.experiments;
  const manage = deps.experiments.manageWith(deps.offers);
  const keyOf = (params: unknown) => parseInput(experimentKeyParamsSchema, params, 'params').key;

  router.get('/admin/v1/experiments', admin, async (_req, res) => {
    res.json({ object: 'list', data: (await repository.list()).map(experimentView) });
  });
  router.post('/admin/v1/experiments', admin, async (req, res) => {
    res.status(201).json(experimentView(await createExperiment(manage, req.body)));
  });
  router.get('/admin/v1/experiments/:key', admin, async (req, res) => {
    res.json(experimentView(found(await repository.find(keyOf(req.params)))));
  });
  router.put('/admin/v1/experiments/:key', admin, async (req, res) => {
    res.json(experimentView(await replaceExperiment(manage, keyOf(req.params), req.body)));
  });
  router.delete('/admin/v1/experiments/:key', admin, async (req, res) => {
    const key = keyOf(req.params);
    await deleteExperiment(manage, key);
    res.json({ object: 'experiment', key, deleted: true });
  });
  router.post('/admin/v1/experiments/:key/start', admin, async (req, res) => {
    res.json(experimentView(await startExperiment(manage, keyOf(req.params))));
  });
  router.post('/admin/v1/experiments/:key/stop', admin, async (req, res) => {
    res.json(experimentView(await stopExperiment(manage, keyOf(req.params))));
  });
  router.post('/admin/v1/experiments/:key/winner', admin, async (req, res) => {
    const key = keyOf(req.params);
    const { variant } = parseInput(declareWinnerSchema, req.body, 'body');
    res.status(201).json(await deps.experiments.declareWinner(key, variant, operatorOf(req).id));
  });
  router.get('/admin/v1/experiments/:key/results', admin, async (req, res) => {
    res.json(await deps.experiments.results(keyOf(req.params)));
  });
  return router;
}
