import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Experiments on offers: their definitions (variants with weights and overrides of one offer
 * rule, audience, metrics, holdout, planned sample size, start and stop) and who was exposed to
 * which arm. NOTE: experiment_exposures is unique per experiment and account, so the first
 * impression (or, in the holdout, the first prompt withheld) is the exposure and repeats are free.
 */
export class Experiments1763900800000 implements MigrationInterface {
  name = 'Experiments1763900800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE experiments (
        key                 text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,63}$'),
        rule_id             text NOT NULL,
        definition          jsonb NOT NULL,
        started_at          timestamptz,
        stopped_at          timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CHECK (stopped_at IS NULL OR started_at IS NOT NULL)
      )`);
    // NOTE: one running experiment per offer rule, or an account's arm in one would decide its arm in the other.
    await q.query(`CREATE UNIQUE INDEX experiments_one_running_per_rule ON experiments (rule_id)
                   WHERE started_at IS NOT NULL AND stopped_at IS NULL`);
    await q.query(`
      CREATE TABLE experiment_exposures (
        experiment_key text NOT NULL REFERENCES experiments(key) ON DELETE CASCADE,
        account_id     text NOT NULL REFERENCES accounts(id),
        variant        text NOT NULL,
        country        char(2) NOT NULL,
        plan_code      text NOT NULL,
        exposed_at     timestamptz NOT NULL,
        PRIMARY KEY (experiment_key, account_id)
      )`);
    await q.query(`CREATE INDEX experiment_exposures_account_idx ON experiment_exposures (account_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE experiment_exposures');
    await q.query('DROP TABLE experiments');
  }
}
