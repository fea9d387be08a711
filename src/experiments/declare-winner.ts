import type { Pool } from 'pg';
import { conflict, unprocessable } from '../shared/errors';
import type { ExperimentsModule } from './experiments.module';
import { found } from './manage-experiments';

export interface WinnerAnswer {
  object: 'experiment_winner';
  key: string;
  variant: string;
  declared_by: string;
  declared_at: string;
  /** Each comparison's verdict (control vs treatment) as the results showed it when the winner was declared. */
  verdicts: Array<{ control: string; treatment: string; verdict: unknown }>;
}

/**
 * Declares the winning variant of a stopped experiment, once, keeping the results' verdicts of that
 * moment beside it. A running experiment is refused (stop it first: the verdict is read on data
 * that no longer moves); a second declaration is a 409.
 */
export async function declareWinner(
  deps: { experiments: ExperimentsModule; pool: () => Pool; now: () => Date },
  input: { key: string; variant: string; declaredBy: string },
): Promise<WinnerAnswer> {
  const experiment = found(await deps.experiments.repository.find(input.key));
  if (!experiment.stoppedAt)
    throw conflict('experiment_not_stopped', `Stop the experiment "${input.key}" before declaring a winner.`);
  if (!experiment.definition.variants.some((v) => v.key === input.variant))
    throw unprocessable('unknown_variant', `The experiment has no variant "${input.variant}".`, 'variant');
  const results = (await deps.experiments.results(input.key)) as {
    comparisons?: Array<{ control: string; treatment: string; verdict: unknown }>;
  };
  const verdicts = (results.comparisons ?? []).map(({ control, treatment, verdict }) => ({
    control,
    treatment,
    verdict,
  }));
  const declaredAt = deps.now();
  const { rowCount } = await deps.pool().query(
    `INSERT INTO experiment_winners (experiment_key, variant, verdicts, declared_by, declared_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (experiment_key) DO NOTHING`,
    [input.key, input.variant, JSON.stringify(verdicts), input.declaredBy, declaredAt],
  );
  if (rowCount === 0) throw conflict('winner_declared', `A winner of "${input.key}" was declared already.`);
  return {
    object: 'experiment_winner',
    key: input.key,
    variant: input.variant,
    declared_by: input.declaredBy,
    declared_at: declaredAt.toISOString(),
    verdicts,
  };
}
