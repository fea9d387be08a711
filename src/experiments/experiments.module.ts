import type { Pool } from 'pg';
import type { Catalog } from '../catalog/catalog.types';
import type { OfferRuleSet } from '../offers/offer-rule-set';
import { ExperimentOutcomesRepository } from './experiment-outcomes.repository';
import { ExperimentRegistry } from './experiment-registry';
import { experimentResults } from './experiment-results';
import { declareWinner } from './declare-winner';
import { experimentView, snakeCaseKeys } from './experiment.view';
import { ExperimentsRepository } from './experiments.repository';
import { found, type ManageExperimentsDeps } from './manage-experiments';

export interface ExperimentsModuleInputs {
  pool: () => Pool;
  now: () => Date;
  onError?: (error: unknown) => void;
}

/**
 * Experiments: definitions, the assignment snapshot the offers engine asks, exposures and results.
 * Built before the offers engine, which takes `registry.assign` and `recordExposures`.
 */
export class ExperimentsModule {
  readonly repository: ExperimentsRepository;
  readonly registry: ExperimentRegistry;
  private readonly outcomes: ExperimentOutcomesRepository;

  constructor(private readonly inputs: ExperimentsModuleInputs) {
    this.repository = new ExperimentsRepository(inputs.pool);
    this.outcomes = new ExperimentOutcomesRepository(inputs.pool);
    this.registry = new ExperimentRegistry({
      load: () => this.repository.running(),
      now: inputs.now,
      onError: inputs.onError,
    });
  }

  /** The use cases' dependencies, with the offers engine's rules and catalog to validate variants against. */
  manageWith(offers: { rules: OfferRuleSet; catalog: Catalog; copyKeys: ReadonlySet<string> }): ManageExperimentsDeps {
    const { rules, catalog, copyKeys } = offers;
    return { rules, catalog, copyKeys, repository: this.repository, registry: this.registry, now: this.inputs.now };
  }

  readonly recordExposures = (
    exposed: { accountId: string; country: string; plan: string },
    exposures: ReadonlyArray<{ key: string; variant: string }>,
    at: Date,
  ): Promise<void> => this.repository.recordExposures(exposed, exposures, at);

  /** POST /admin/v1/experiments/{key}/winner. */
  declareWinner(key: string, variant: string, declaredBy: string) {
    return declareWinner(
      { experiments: this, pool: this.inputs.pool, now: this.inputs.now },
      { key, variant, declaredBy },
    );
  }

  /** GET /admin/v1/experiments/{key}/results. */
  async results(key: string) {
    const experiment = found(await this.repository.find(key));
    const { definition } = experiment;
    const outcomes = await this.outcomes.outcomes(key, definition.rule_id, definition.primary_metric.window_days);
    return {
      object: 'experiment_results',
      experiment: experimentView(experiment),
      ...(snakeCaseKeys(experimentResults(definition, outcomes)) as Record<string, unknown>),
    };
  }
}
