import { startEmbeddedPostgres } from '../../src/local/embedded-postgres';

/**
 * `node --import tsx test/support/embedded-postgres-main.ts <dataDir>`: starts the embedded
 * PostgreSQL as the service does (jest's sandbox cannot load the ES-module package), prints
 * "ready <url>" and stops on SIGTERM; a failure prints the error and exits 1.
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: embedded-postgres-main.ts <dataDir>');
startEmbeddedPostgres({ dataDir, database: 'tierlift_probe' }).then(
  (db) => {
    process.stdout.write(`ready ${db.url}\n`);
    process.once('SIGTERM', () => void db.stop().then(() => process.exit(0)));
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
