import type { Pool } from 'pg';
import type { ExperimentDefinition } from './experiment.schema';

export interface StoredExperiment {
  definition: ExperimentDefinition;
  startedAt: Date | null;
  stoppedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  definition: ExperimentDefinition;
  started_at: Date | null;
  stopped_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toStored = (row: Row): StoredExperiment => ({
  definition: row.definition,
  startedAt: row.started_at,
  stoppedAt: row.stopped_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const COLUMNS = 'definition, started_at, stopped_at, created_at, updated_at';

/** The experiments and experiment_exposures tables; the only writer of both. */
export class ExperimentsRepository {
  constructor(private readonly pool: () => Pool) {}

  async list(): Promise<StoredExperiment[]> {
    const { rows } = await this.pool().query<Row>(`SELECT ${COLUMNS} FROM experiments ORDER BY created_at, key`);
    return rows.map(toStored);
  }

  async find(key: string): Promise<StoredExperiment | null> {
    const { rows } = await this.pool().query<Row>(`SELECT ${COLUMNS} FROM experiments WHERE key = $1`, [key]);
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Inserts a new experiment; false when the key is taken. */
  async insert(definition: ExperimentDefinition, at: Date): Promise<boolean> {
    const { rowCount } = await this.pool().query(
      `INSERT INTO experiments (key, rule_id, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (key) DO NOTHING`,
      [definition.key, definition.rule_id, JSON.stringify(definition), at],
    );
    return rowCount === 1;
  }

  /** Replaces a draft (never started) experiment; false when it is missing or has started. */
  async replaceDraft(definition: ExperimentDefinition, at: Date): Promise<boolean> {
    const { rowCount } = await this.pool().query(
      `UPDATE experiments SET rule_id = $2, definition = $3, updated_at = $4 WHERE key = $1 AND started_at IS NULL`,
      [definition.key, definition.rule_id, JSON.stringify(definition), at],
    );
    return rowCount === 1;
  }

  async deleteDraft(key: string): Promise<boolean> {
    const { rowCount } = await this.pool().query(`DELETE FROM experiments WHERE key = $1 AND started_at IS NULL`, [
      key,
    ]);
    return rowCount === 1;
  }

  /** Starts a draft; the partial unique index refuses a second running experiment on the same rule (23505). */
  async start(key: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.pool().query(
      `UPDATE experiments SET started_at = $2, updated_at = $2 WHERE key = $1 AND started_at IS NULL`,
      [key, at],
    );
    return rowCount === 1;
  }

  async stop(key: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.pool().query(
      `UPDATE experiments SET stopped_at = $2, updated_at = $2 WHERE key = $1 AND started_at IS NOT NULL AND stopped_at IS NULL`,
      [key, at],
    );
    return rowCount === 1;
  }

  /** The running experiments, for the assignment snapshot. */
  async running(): Promise<StoredExperiment[]> {
    const { rows } = await this.pool().query<Row>(
      `SELECT ${COLUMNS} FROM experiments WHERE started_at IS NOT NULL AND stopped_at IS NULL`,
    );
    return rows.map(toStored);
  }

  /** The first exposure of each account to each experiment counts; later ones change nothing. */
  async recordExposures(
    exposed: { accountId: string; country: string; plan: string },
    exposures: ReadonlyArray<{ key: string; variant: string }>,
    at: Date,
  ): Promise<void> {
    await this.pool().query(
      `INSERT INTO experiment_exposures (experiment_key, account_id, variant, country, plan_code, exposed_at)
       SELECT e.key, $2, e.variant, $5, $6, $3 FROM unnest($1::text[], $4::text[]) AS e(key, variant)
       JOIN experiments x ON x.key = e.key
       ON CONFLICT (experiment_key, account_id) DO NOTHING`,
      [
        exposures.map((e) => e.key),
        exposed.accountId,
        at,
        exposures.map((e) => e.variant),
        exposed.country,
        exposed.plan,
      ],
    );
  }
}
