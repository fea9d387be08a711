import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reverse trials (issue #20): one per account, ever, whatever its plan. `account_trials` keys by
 * account, plan and kind; this index keeps a second reverse trial of another plan out.
 */
export class OneReverseTrialPerAccount1763902350000 implements MigrationInterface {
  name = 'OneReverseTrialPerAccount1763902350000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNIQUE INDEX account_trials_one_reverse_trial ON account_trials (account_id) WHERE kind = 'reverse_trial'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX account_trials_one_reverse_trial');
  }
}
