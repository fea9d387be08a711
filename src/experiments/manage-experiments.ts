import type { Catalog } from '../catalog/catalog.types';
import { validateOfferRule } from '../offers/load-offer-rules';
import type { OfferRuleSet } from '../offers/offer-rule-set';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { experimentSchema, type ExperimentDefinition } from './experiment.schema';
import type { ExperimentRegistry } from './experiment-registry';
import type { ExperimentsRepository, StoredExperiment } from './experiments.repository';
import { parseInput } from '../shared/http/validate';

export interface ManageExperimentsDeps {
  repository: ExperimentsRepository;
  registry: ExperimentRegistry;
  rules: OfferRuleSet;
  catalog: Catalog;
  copyKeys: ReadonlySet<string>;
  now: () => Date;
}

/** Parses the body, then checks that the rule exists and that every variant's overrides make a valid rule. */
async function checked(deps: ManageExperimentsDeps, raw: unknown): Promise<ExperimentDefinition> {
  const definition = parseInput(experimentSchema, raw, 'body');
  const settings = await deps.rules.current();
  const rule = settings.rules.find((r) => r.id === definition.rule_id);
  if (!rule) throw unprocessable('experiment_invalid', `No offer rule "${definition.rule_id}".`, 'rule_id');
  definition.variants.forEach((variant, i) => {
    const result = validateOfferRule({ ...rule, ...variant.overrides }, deps.catalog, settings, deps.copyKeys);
    if (result.ok) return;
    const first = result.problems[0];
    const param = `variants[${i}].overrides.${first?.path ?? ''}`;
    throw unprocessable('experiment_invalid', `Invalid experiment: ${param}: ${first?.message}`, param, {
      errors: result.problems.map((p) => ({ param: `variants[${i}].overrides.${p.path}`, message: p.message })),
    });
  });
  return definition;
}

/** Creates a draft experiment; 409 when the key is taken. */
export async function createExperiment(deps: ManageExperimentsDeps, raw: unknown): Promise<StoredExperiment> {
  const definition = await checked(deps, raw);
  if (!(await deps.repository.insert(definition, deps.now())))
    throw conflict('experiment_exists', `Experiment "${definition.key}" exists.`);
  return found(await deps.repository.find(definition.key));
}

/** Replaces a draft; once started its variants and weights are frozen (changing them would reshuffle assignments). */
export async function replaceExperiment(
  deps: ManageExperimentsDeps,
  key: string,
  raw: unknown,
): Promise<StoredExperiment> {
  const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if (body.key !== undefined && body.key !== key)
    throw unprocessable('experiment_key_mismatch', 'The body names another experiment than the path.', 'key');
  const definition = await checked(deps, { ...body, key });
  if (!(await deps.repository.replaceDraft(definition, deps.now()))) {
    found(await deps.repository.find(key));
    throw conflict('experiment_started', `Experiment "${key}" has started; stop it and create another.`);
  }
  return found(await deps.repository.find(key));
}

export async function deleteExperiment(deps: ManageExperimentsDeps, key: string): Promise<void> {
  if (await deps.repository.deleteDraft(key)) return;
  found(await deps.repository.find(key));
  throw conflict('experiment_started', `Experiment "${key}" has started; stop it instead (its exposures are kept).`);
}

/** Starts a draft; 409 when it has started already or another experiment runs on the same rule. */
export async function startExperiment(deps: ManageExperimentsDeps, key: string): Promise<StoredExperiment> {
  const experiment = found(await deps.repository.find(key));
  let started: boolean;
  try {
    started = await deps.repository.start(key, deps.now());
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw conflict('experiment_rule_busy', `Another experiment runs on rule "${experiment.definition.rule_id}".`);
    throw error;
  }
  if (!started) throw conflict('experiment_started', `Experiment "${key}" has already started.`);
  await deps.registry.refresh();
  return found(await deps.repository.find(key));
}

export async function stopExperiment(deps: ManageExperimentsDeps, key: string): Promise<StoredExperiment> {
  found(await deps.repository.find(key));
  if (!(await deps.repository.stop(key, deps.now())))
    throw conflict('experiment_not_running', `Experiment "${key}" is not running.`);
  await deps.registry.refresh();
  return found(await deps.repository.find(key));
}

export function found(experiment: StoredExperiment | null): StoredExperiment {
  if (!experiment) throw notFound('Experiment', 'key');
  return experiment;
}
