import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/local/embedded-postgres';

declare global {
  var __TIERLIFT_EMBEDDED_PG__: EmbeddedDatabase | undefined;
  var __TIERLIFT_EMBEDDED_PG_DIR__: string | undefined;
}

/**
 * One PostgreSQL for the whole run: the server in DATABASE_URL when set, else an
 * embedded one in a fresh temporary folder. Each test file then works in its own schema.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    // A fresh cluster per run: runs never share state, and two runs at once never fight over one folder.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-test-pg-'));
    fs.chmodSync(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), database: 'tierlift_test' });
    globalThis.__TIERLIFT_EMBEDDED_PG_DIR__ = dataDir;
    globalThis.__TIERLIFT_EMBEDDED_PG__ = embedded;
    process.env.DATABASE_URL = embedded.url;
  }
  await dropLeftoverSchemas(process.env.DATABASE_URL);
}

/** Schemas of earlier, interrupted runs would otherwise pile up. */
async function dropLeftoverSchemas(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname ~ '^(tt|pgboss_tt)_[0-9]+_'",
    );
    // Schema names carry their creation time (see test-database.ts): drop those of runs over 6 hours old.
    const cutoff = Date.now() - 6 * 3600 * 1000;
    for (const { nspname } of rows) {
      const created = Number(nspname.replace(/^(pgboss_)?tt_/, '').split('_')[0]);
      if (created < cutoff) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    }
  } finally {
    await client.end();
  }
}
