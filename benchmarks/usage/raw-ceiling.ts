import { Pool, type QueryConfig } from 'pg';
import { ArrayLiteral } from '../../src/shared/database/pg-array-literal';

export interface RawCeiling {
  form: string;
  rows: number;
  seconds: number;
}

const COLUMNS = '(account_id, event_id, feature, action, quantity, occurred_at, period_start)';

/** account_id, event_id, feature, action, quantity, occurred_at, period_start. */
export type Row = [string, string, string, string, number, string, string];

function batches(accounts: string[], total: number, batchSize: number, runId: string): Row[][] {
  const now = new Date().toISOString();
  const out: Row[][] = [];
  for (let start = 0; start < total; start += batchSize) {
    const rows: Row[] = [];
    for (let i = start; i < Math.min(start + batchSize, total); i += 1) {
      rows.push([accounts[i % accounts.length] as string, `${runId}_${i}`, 'api_calls', 'increment', 1, now, now]);
    }
    out.push(rows);
  }
  return out;
}

/**
 * NOTE: the columns go as array literals built by the encoder ingestion uses (pg-array-literal.ts),
 * not by pg's own serialisation, which costs more Node time: the ceiling gets no slower client
 * path than the service it bounds.
 */
export function unnestQuery(table: string, rows: Row[]): QueryConfig {
  const columns = Array.from({ length: 7 }, () => new ArrayLiteral());
  for (const row of rows) {
    row.forEach((value, k) => {
      const column = columns[k] as ArrayLiteral;
      if (typeof value === 'number') column.addInteger(value);
      else column.addText(value);
    });
  }
  return {
    name: `raw_unnest_${table}`,
    text: `INSERT INTO ${table} ${COLUMNS}
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[], $7::timestamptz[])
           ON CONFLICT DO NOTHING`,
    values: columns.map(String),
  };
}

function valuesQuery(table: string, rows: Row[]): QueryConfig {
  const tuples = rows.map((_, r) => `(${[1, 2, 3, 4, 5, 6, 7].map((c) => `$${r * 7 + c}`).join(', ')})`);
  return {
    name: `raw_values_${table}_${rows.length}`,
    text: `INSERT INTO ${table} ${COLUMNS} VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
    values: rows.flat(),
  };
}

/**
 * A table shaped as usage_events is: its columns, defaults and checks, partitioned by month of
 * occurred_at with a partition (and its unique key on account and event id) for each of
 * usage_events' partitions, the default one included. Kept if it exists: it grows across rounds.
 */
export async function createLikeUsageEvents(pool: Pool, table: string): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${table} (LIKE usage_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
     PARTITION BY RANGE (occurred_at)`,
  );
  const { rows } = await pool.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'usage_events'::regclass`,
  );
  for (const { name, bound } of rows) {
    const partition = name.replace('usage_events', table);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${partition} PARTITION OF ${table} ${bound}`);
    await pool.query(`CREATE UNIQUE INDEX IF NOT EXISTS ${partition}_key ON ${partition} (account_id, event_id)`);
  }
}

/**
 * The raw ceiling: multi-row INSERT … ON CONFLICT DO NOTHING straight through pg into a table
 * shaped as usage_events (same columns, defaults, monthly partitions and unique keys), with the
 * same senders and batch size as the HTTP run. Both multi-row forms are measured.
 */
export async function measureRawCeiling(options: {
  databaseUrl: string;
  schema: string;
  accounts: string[];
  totalEvents: number;
  batchSize: number;
  senders: number;
  /** Distinguishes the rows of repeated rounds: the tables are kept and grow, as usage_events does. */
  runId: string;
}): Promise<RawCeiling[]> {
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.senders,
    options: `-c search_path=${options.schema}`,
  });
  try {
    const results: RawCeiling[] = [];
    for (const form of ['unnest', 'values'] as const) {
      const table = `bench_raw_${form}`;
      await createLikeUsageEvents(pool, table);
      const work = batches(options.accounts, options.totalEvents, options.batchSize, `${options.runId}_${form}`);
      const build = form === 'unnest' ? unnestQuery : valuesQuery;
      let next = 0;
      let inserted = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: options.senders }, async () => {
          while (next < work.length) {
            const rows = work[next++] as Row[];
            // NOTE: await first: `inserted += await …` would read `inserted` before the wait and lose the other senders' rows.
            const result = await pool.query(build(table, rows));
            inserted += result.rowCount ?? 0;
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      results.push({
        form: form === 'unnest' ? 'INSERT … SELECT unnest($arrays)' : 'INSERT … VALUES (…), (…)',
        rows: inserted,
        seconds,
      });
    }
    return results;
  } finally {
    await pool.end();
  }
}
