import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An operator's decision on an experiment (issue #23): the winning variant, when and by whom, with
 * the verdicts the results showed at that moment, kept beside the experiment.
 */
export class ExperimentWinners1763902600001 implements MigrationInterface {
  name = 'ExperimentWinners1763902600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE experiment_winners (
        experiment_key text PRIMARY KEY REFERENCES experiments(key) ON DELETE CASCADE,
        variant        text NOT NULL,
        verdicts       jsonb NOT NULL,
        declared_by    text NOT NULL,
        declared_at    timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE experiment_winners');
  }
}
